// Writes an ONNX model (ModelProto bytes) of a stacked LSTM: one ONNX LSTM node per layer, joined by
// Transpose + Reshape so each layer sees [T, B, D·H]. Field numbers are those of onnx.proto.
import { bytes, concat, int, message, string } from './protobuf.js';

const kFloat = 1;
const kInt64 = 7;
const kAttrInt = 2;
const kAttrString = 3;
const kAttrInts = 7;

/** TensorProto with raw little-endian data. @param {string} name @param {number[]} dims @param {Float32Array|BigInt64Array} data */
function tensor(name, dims, data) {
  const dataType = data instanceof Float32Array ? kFloat : kInt64;
  return [
    ...dims.map((d) => int(1, d)),
    int(2, dataType),
    string(8, name),
    bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
  ];
}

/** ValueInfoProto of a float tensor with fixed dims. @param {string} name @param {number[]} dims */
function floatValueInfo(name, dims) {
  const shape = dims.map((d) => message(1, [int(1, d)]));
  return [string(1, name), message(2, [message(1, [int(1, kFloat), message(2, shape)])])];
}

/** @param {string} name @param {number|string|number[]} value */
function attribute(name, value) {
  if (typeof value === 'number') return [string(1, name), int(20, kAttrInt), int(3, value)];
  if (typeof value === 'string') return [string(1, name), int(20, kAttrString), string(4, value)];
  return [string(1, name), int(20, kAttrInts), ...value.map((v) => int(8, v))];
}

/** NodeProto. @param {string} opType @param {string[]} inputs @param {string[]} outputs @param {Record<string, number|string|number[]>} attrs */
function node(opType, inputs, outputs, attrs = {}) {
  return [
    ...inputs.map((name) => string(1, name)),
    ...outputs.map((name) => string(2, name)),
    string(3, `${opType}_${outputs[0]}`),
    string(4, opType),
    ...Object.entries(attrs).map(([key, value]) => message(5, attribute(key, value))),
  ];
}

/**
 * @typedef {{ W: Float32Array, R: Float32Array, B: Float32Array }} OnnxLayerWeights
 *   W [D, 4H, I_k], R [D, 4H, H], B [D, 8H], gate blocks already in ONNX order (i, o, f, c).
 */

/**
 * The model: input X [T, B, I] (time-major, layout 0), output Y [T, D, B, H] of the last layer.
 * @param {{ steps: number, batch: number, inputSize: number, hiddenSize: number, bidirectional: boolean }} shape
 * @param {OnnxLayerWeights[]} layers
 * @returns {Uint8Array}
 */
export function lstmModelBytes(shape, layers) {
  const { steps: T, batch: B, inputSize: I, hiddenSize: H } = shape;
  const D = shape.bidirectional ? 2 : 1;
  const nodes = [];
  // Reshape's target shape [T, B, D·H] (0: keep that axis), needed only between stacked layers.
  const initializers = layers.length > 1 ? [tensor('to_tbf', [3], BigInt64Array.from([0n, 0n, -1n]))] : [];
  let input = 'X';
  layers.forEach((w, k) => {
    const inputWidth = k === 0 ? I : D * H;
    initializers.push(tensor(`W${k}`, [D, 4 * H, inputWidth], w.W), tensor(`R${k}`, [D, 4 * H, H], w.R), tensor(`B${k}`, [D, 8 * H], w.B));
    const last = k === layers.length - 1;
    const y = last ? 'Y' : `Y${k}`;
    nodes.push(node('LSTM', [input, `W${k}`, `R${k}`, `B${k}`], [y], { hidden_size: H, direction: D === 2 ? 'bidirectional' : 'forward' }));
    if (!last) {
      nodes.push(node('Transpose', [y], [`Yt${k}`], { perm: [0, 2, 1, 3] }));
      nodes.push(node('Reshape', [`Yt${k}`, 'to_tbf'], [`X${k + 1}`]));
      input = `X${k + 1}`;
    }
  });
  const graph = [
    ...nodes.map((n) => message(1, n)),
    string(2, 'lstm'),
    ...initializers.map((t) => message(5, t)),
    message(11, floatValueInfo('X', [T, B, I])),
    message(12, floatValueInfo('Y', [T, D, B, H])),
  ];
  return concat([int(1, 8), string(2, 'webgpu-lstm bench'), message(7, graph), message(8, [int(2, 17)])]);
}

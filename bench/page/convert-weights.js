// The same weights in each peer's layout, from the model's PyTorch parameters
// (weight_ih [4H, I], weight_hh [4H, H], bias_ih and bias_hh [4H], gate blocks i, f, g, o).
// The gate orders themselves are the library's (src/formats/gate-order.ts: kGateOrders).

/** @typedef {typeof import('../../src/index.js')} Lib */
/** @typedef {import('../../src/index.js').LSTM} Model */

/** Row-major [rows, cols] → [cols, rows], as float32. @param {Float64Array} m @param {number} rows @param {number} cols */
function transpose(m, rows, cols) {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
  return out;
}

/**
 * Keras / TensorFlow.js weights of one layer and direction: kernel [I_k, 4H] = weight_ihᵀ,
 * recurrent_kernel [H, 4H] = weight_hhᵀ, bias [4H] = bias_ih + bias_hh, gate blocks in Keras's
 * order (i, f, c, o), then transposed so that the gates run along the columns.
 * @param {Lib} lib the library's API @param {Model} model an LSTM @param {number} layer @param {number} direction
 * @returns {{ kernel: Float32Array, recurrent: Float32Array, bias: Float32Array, inputWidth: number }}
 */
export function kerasWeights(lib, model, layer, direction) {
  const H = model.config.hiddenSize;
  /** @param {'weight_ih' | 'weight_hh' | 'bias_ih' | 'bias_hh'} kind */
  const keras = (kind) => lib.permuteGateBlocks(model.param(lib.paramName(kind, layer, direction)), 'pytorch', 'keras');
  const wih = keras('weight_ih');
  const inputWidth = wih.length / (4 * H);
  const bhh = keras('bias_hh');
  return {
    kernel: transpose(wih, 4 * H, inputWidth),
    recurrent: transpose(keras('weight_hh'), 4 * H, H),
    bias: Float32Array.from(keras('bias_ih'), (v, i) => v + bhh[i]),
    inputWidth,
  };
}

/**
 * Keras / TensorFlow.js weights of dense layer K of the model's head: kernel [in, out] =
 * head.K.weightᵀ (nn.Linear keeps [out, in]), bias [out].
 * @param {Model} model an LSTM with a head @param {number} layer
 * @returns {{ kernel: Float32Array, bias: Float32Array, inputs: number, outputs: number }}
 */
export function kerasDenseWeights(model, layer) {
  const bias = model.param(`head.${layer}.bias`);
  const weight = model.param(`head.${layer}.weight`);
  const outputs = bias.length;
  const inputs = weight.length / outputs;
  return { kernel: transpose(weight, outputs, inputs), bias: Float32Array.from(bias), inputs, outputs };
}

/**
 * ONNX LSTM initializers of one layer, both directions stacked: W [D, 4H, I_k], R [D, 4H, H],
 * B [D, 8H] (input biases, then recurrent biases), gate blocks reordered to ONNX's i, o, f, c.
 * @param {Lib} lib @param {Model} model @param {number} layer
 * @returns {{ W: Float32Array, R: Float32Array, B: Float32Array }}
 */
export function onnxLayerWeights(lib, model, layer) {
  const H = model.config.hiddenSize;
  const D = model.config.bidirectional ? 2 : 1;
  const inputWidth = model.param(lib.paramName('weight_ih', layer, 0)).length / (4 * H);
  const W = new Float32Array(D * 4 * H * inputWidth);
  const R = new Float32Array(D * 4 * H * H);
  const B = new Float32Array(D * 8 * H);
  for (let d = 0; d < D; d++) {
    /** @param {'weight_ih' | 'weight_hh' | 'bias_ih' | 'bias_hh'} kind */
    const onnx = (kind) => lib.permuteGateBlocks(model.param(lib.paramName(kind, layer, d)), 'pytorch', 'onnx');
    W.set(onnx('weight_ih'), d * 4 * H * inputWidth);
    R.set(onnx('weight_hh'), d * 4 * H * H);
    B.set(onnx('bias_ih'), d * 8 * H);
    B.set(onnx('bias_hh'), d * 8 * H + 4 * H);
  }
  return { W, R, B };
}

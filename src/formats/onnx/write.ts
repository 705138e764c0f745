import { invalidArgument } from '../../core/errors.js';
import { directionCount, hiddenOutputSize, type LstmConfig } from '../../model/config.js';
import { headParamName } from '../../model/head.js';
import type { LSTM } from '../../model/lstm.js';
import { paramName } from '../../model/params.js';
import { permuteGateBlocks } from '../gate-order.js';
import { writeActivations } from './attributes.js';
import { encodeModel, kAttributeType, type AttributeProto, type NodeProto, type TensorProto, type ValueInfoProto } from './proto.js';
import { writeTensor } from './tensors.js';

export interface OnnxWriteOptions {
  /** Add graph inputs h0 and c0 ([L·D, B, H]); without them every layer starts from zeros. */
  readonly states?: boolean;
  /** Add the graph input `lengths` ([B], int32): ONNX's sequence_lens. */
  readonly lengths?: boolean;
}

const kText = new TextEncoder();

function attribute(name: string, value: number | string | number[] | string[], float = false): AttributeProto {
  if (typeof value === 'string') return { name, type: kAttributeType.STRING, s: kText.encode(value) };
  if (typeof value === 'number') return float ? { name, type: kAttributeType.FLOAT, f: value } : { name, type: kAttributeType.INT, i: value };
  if (value.length > 0 && typeof value[0] === 'string') return { name, type: kAttributeType.STRINGS, strings: (value as string[]).map((s) => kText.encode(s)) };
  return float ? { name, type: kAttributeType.FLOATS, floats: value as number[] } : { name, type: kAttributeType.INTS, ints: value as number[] };
}

function valueInfo(name: string, dims: (number | string)[], elemType = 1): ValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/** Builds the graph node by node, naming each intermediate tensor after the node that makes it. */
class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  node(opType: string, inputs: string[], attributes: AttributeProto[] = [], outputs = 1, name = `${opType}_${this.nodes.length}`): string[] {
    const names = Array.from({ length: outputs }, (_, k) => `${name}_out${k}`);
    this.nodes.push({ name, opType, input: inputs, output: names, attribute: attributes });
    return names;
  }
  /** Names `from` as the graph output `name` (an Identity, so every output has a fixed name). */
  output(name: string, from: string): void {
    this.nodes.push({ name, opType: 'Identity', input: [from], output: [name], attribute: [] });
  }
  constant(name: string, dims: number[], data: ArrayLike<number>, type: 'float32' | 'int64' = 'float32'): string {
    this.initializers.push(writeTensor(name, dims, data, type));
    return name;
  }
  /** The initializers some node reads: a shared constant (axis 0, axis 1) a model's shape never uses is left out. */
  usedInitializers(): TensorProto[] {
    const read = new Set(this.nodes.flatMap((n) => n.input));
    return this.initializers.filter((t) => read.has(t.name!));
  }
}

/** PyTorch-ordered [4H, ·] blocks of both directions as ONNX's [D, 4H, ·] in gate order i, o, f, c. */
function stacked(model: LSTM, kind: 'weight_ih' | 'weight_hh' | 'bias_ih' | 'bias_hh', layer: number, D: number): Float64Array[] {
  return Array.from({ length: D }, (_, d) => permuteGateBlocks(model.param(paramName(kind, layer, d)), 'pytorch', 'onnx'));
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

function lstmAttributes(config: LstmConfig, D: number): AttributeProto[] {
  const out = [attribute('hidden_size', config.hiddenSize), attribute('direction', D === 2 ? 'bidirectional' : config.goBackwards ? 'reverse' : 'forward')];
  if (config.activations) {
    const { names, alphas, betas } = writeActivations(config.activations, D);
    out.push(attribute('activations', names));
    if (alphas.length > 0) out.push(attribute('activation_alpha', alphas, true));
    if (betas.length > 0) out.push(attribute('activation_beta', betas, true));
  }
  if (config.cellClip !== undefined) out.push(attribute('clip', config.cellClip, true));
  if (config.inputForget) out.push(attribute('input_forget', 1));
  return out;
}

/**
 * Writes the model as an ONNX file (opset 14, float32 weights) that onnxruntime runs: graph input
 * `x` in the model's layout ([T, B, I], or [B, T, I] with batchFirst), optional `h0`, `c0` and
 * `lengths`; outputs `output`, `h_n`, `c_n` and, with a head, `prediction`, shaped as this
 * library returns them. Every layer is one LSTM node (layout 0), as torch.onnx.export writes them.
 * proj_size has no ONNX LSTM counterpart and is refused (INVALID_ARGUMENT).
 */
export function modelToOnnx(model: LSTM, options: OnnxWriteOptions = {}): Uint8Array {
  const config = model.config;
  if (config.projSize !== undefined) throw invalidArgument(`onnx: config.projSize = ${config.projSize}: ONNX's LSTM has no projection (PyTorch's proj_size); write this model as JSON or safetensors`);
  const D = directionCount(config);
  const H = config.hiddenSize;
  const L = config.numLayers;
  const g = new GraphBuilder();
  const inputs = [valueInfo('x', config.batchFirst ? ['B', 'T', config.inputSize] : ['T', 'B', config.inputSize])];
  if (options.states) inputs.push(valueInfo('h0', [L * D, 'B', H]), valueInfo('c0', [L * D, 'B', H]));
  if (options.lengths) inputs.push(valueInfo('lengths', ['B'], 6));
  const axis0 = g.constant('axis0', [1], [0], 'int64');
  const axis1 = g.constant('axis1', [1], [1], 'int64');
  let x = config.batchFirst ? g.node('Transpose', ['x'], [attribute('perm', [1, 0, 2])])[0] : 'x';
  const hs: string[] = [];
  const cs: string[] = [];
  for (let k = 0; k < L; k++) {
    const I = k === 0 ? config.inputSize : D * H;
    const w = g.constant(`W_l${k}`, [D, 4 * H, I], concat(stacked(model, 'weight_ih', k, D)));
    const r = g.constant(`R_l${k}`, [D, 4 * H, H], concat(stacked(model, 'weight_hh', k, D)));
    const b = config.bias ? g.constant(`B_l${k}`, [D, 8 * H], concat(Array.from({ length: D }, (_, d) => concat([stacked(model, 'bias_ih', k, D)[d], stacked(model, 'bias_hh', k, D)[d]])))) : '';
    const p = config.peepholes ? g.constant(`P_l${k}`, [D, 3 * H], concat(Array.from({ length: D }, (_, d) => model.param(paramName('weight_peephole', k, d))))) : '';
    const rows = (state: string) => {
      if (!options.states) return '';
      const starts = g.constant(`${state}_start_l${k}`, [1], [k * D], 'int64');
      const ends = g.constant(`${state}_end_l${k}`, [1], [(k + 1) * D], 'int64');
      return g.node('Slice', [state, starts, ends, axis0])[0];
    };
    const [y, yh, yc] = g.node('LSTM', [x, w, r, b, options.lengths ? 'lengths' : '', rows('h0'), rows('c0'), p], lstmAttributes(config, D), 3, `lstm_l${k}`);
    hs.push(yh);
    cs.push(yc);
    // Y [T, D, B, H] → [T, B, D·H]
    x = D === 1 ? g.node('Squeeze', [y, axis1])[0] : g.node('Reshape', [g.node('Transpose', [y], [attribute('perm', [0, 2, 1, 3])])[0], g.constant(`merge_l${k}`, [3], [0, 0, -1], 'int64')])[0];
    if (config.goBackwards) {
      // A reverse node's Y is in input order; Keras's go_backwards output (this library's) runs the other way.
      const flip = [g.constant(`flip_start_l${k}`, [1], [-1], 'int64'), g.constant(`flip_end_l${k}`, [1], [-Number.MAX_SAFE_INTEGER], 'int64'), axis0, g.constant(`flip_step_l${k}`, [1], [-1], 'int64')];
      x = g.node('Slice', [x, ...flip])[0];
    }
  }
  const outputs: [string, string, (number | string)[]][] = [
    ['output', config.batchFirst ? g.node('Transpose', [x], [attribute('perm', [1, 0, 2])])[0] : x, config.batchFirst ? ['B', 'T', D * H] : ['T', 'B', D * H]],
    ['h_n', L === 1 ? hs[0] : g.node('Concat', hs, [attribute('axis', 0)])[0], [L * D, 'B', hiddenOutputSize(config)]],
    ['c_n', L === 1 ? cs[0] : g.node('Concat', cs, [attribute('axis', 0)])[0], [L * D, 'B', H]],
  ];
  if (config.head && config.head.layers.length > 0) outputs.push(writeHead(g, model, x, hs[L - 1], D * H, axis0));
  for (const [name, from] of outputs) g.output(name, from);
  return encodeModel({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 14 }],
    producerName: 'webgpu-lstm',
    graph: { name: 'lstm', node: g.nodes, initializer: g.usedInitializers(), input: inputs, output: outputs.map(([name, , dims]) => valueInfo(name, dims)) },
  });
}

/** The dense head: Gemm layers over the top layer's final h ('last'), or MatMul + Add over every step. */
function writeHead(g: GraphBuilder, model: LSTM, sequence: string, topH: string, width: number, axis0: string): [string, string, (number | string)[]] {
  const head = model.config.head!;
  const D = directionCount(model.config);
  let features = sequence;
  if (head.over === 'last') {
    features = D === 1 ? g.node('Squeeze', [topH, axis0])[0] : g.node('Reshape', [g.node('Transpose', [topH], [attribute('perm', [1, 0, 2])])[0], g.constant('merge_last', [2], [0, -1], 'int64')])[0];
  }
  let inFeatures = width;
  head.layers.forEach((layer, k) => {
    const weight = model.param(headParamName('weight', k));
    const bias = g.constant(`head.${k}.bias`, [layer.outFeatures], model.param(headParamName('bias', k)));
    if (head.over === 'last') {
      features = g.node('Gemm', [features, g.constant(`head.${k}.weight`, [layer.outFeatures, inFeatures], weight), bias], [attribute('transB', 1)])[0];
    } else {
      const wt = Float64Array.from({ length: weight.length }, (_, j) => weight[(j % layer.outFeatures) * inFeatures + Math.floor(j / layer.outFeatures)]);
      features = g.node('Add', [g.node('MatMul', [features, g.constant(`head.${k}.weight_t`, [inFeatures, layer.outFeatures], wt)])[0], bias])[0];
    }
    const op = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax', log_softmax: 'LogSoftmax', linear: null }[layer.activation];
    const overRow = op === 'Softmax' || op === 'LogSoftmax';
    if (op) features = g.node(op, [features], overRow ? [attribute('axis', -1)] : [])[0];
    inFeatures = layer.outFeatures;
  });
  const O = inFeatures;
  if (head.over === 'last') return ['prediction', features, ['B', O]];
  const batchFirst = model.config.batchFirst;
  return ['prediction', batchFirst ? g.node('Transpose', [features], [attribute('perm', [1, 0, 2])])[0] : features, batchFirst ? ['B', 'T', O] : ['T', 'B', O]];
}

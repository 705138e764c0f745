import { invalidArgument } from '../../core/errors.js';
import type { NonFinitePolicy } from '../../core/non-finite.js';
import type { Tensor } from '../../core/tensor.js';
import { LSTM } from '../../model/lstm.js';
import { paramName, type ParamKind } from '../../model/params.js';
import { headParamName } from '../../model/head.js';
import { WalkState, type LayerRecord } from '../../formats/onnx/lstm-walk.js';
import { describeValueKind, type Value } from '../../formats/onnx/values.js';
import type { OutputView } from '../../formats/onnx/views.js';
import { nodeContext, readNode } from '../../formats/onnx/walk.js';
import { compileOnnxFile } from './onnx-file.js';

/** An ONNX file read as an LSTM model, with the names its graph gives the model's inputs and outputs. */
export interface OnnxModel {
  readonly model: LSTM;
  /** Graph input names: x, and h0, c0 and lengths where the graph takes them. */
  readonly inputs: { readonly x: string; readonly h0?: string; readonly c0?: string; readonly lengths?: string; readonly statesBatchMajor: boolean };
  /** Every graph output, and how it is made from this library's results (an OutputView). */
  readonly outputs: readonly { readonly name: string; readonly view: OutputView }[];
}

export interface OnnxReadOptions {
  /** Bytes the file and the tensors read from it may take (as float64); unlimited when absent. */
  readonly maxBytes?: number;
  /** NaN, ±Infinity or values beyond float32's range in the weights (see NonFinitePolicy). */
  readonly nonFinite?: NonFinitePolicy;
}

function outputView(name: string, value: Value | undefined, state: WalkState): OutputView {
  const L = state.layers.length;
  if (value?.kind === 'sequence' && value.layer === L - 1 && value.form !== 'TBDH') return { kind: 'sequence', form: value.form, flipped: value.flipped };
  if (value?.kind === 'state' && (value.first === value.last || !value.batchMajor)) return { kind: 'state', which: value.which, first: value.first, last: value.last, batchMajor: value.batchMajor };
  if (value?.kind === 'head' && value.layers.length > 0) return { kind: 'prediction', form: value.form };
  throw invalidArgument(`onnx: graph output ${JSON.stringify(name)} is ${value ? describeValueKind(value) : 'undefined'}; supported outputs are the top LSTM layer's output, Y_h / Y_c (or their Concat), and the dense head's prediction`);
}

/** The config and named parameters of the stack the walk found, in this library's names. */
function assemble(state: WalkState, head: Extract<Value, { kind: 'head' }> | null, batchFirst: boolean) {
  const layers = state.layers;
  const first: LayerRecord = layers[0];
  const { attrs } = first;
  const D = state.directions();
  const H = attrs.hiddenSize;
  const hasBias = layers.some((l) => l.params[0].biasIh);
  const peepholes = layers.some((l) => l.params[0].peephole);
  const params = new Map<string, Tensor<Float64Array>>();
  layers.forEach((layer, k) => {
    layer.params.forEach((p, d) => {
      const put = (kind: ParamKind, shape: number[], data: Float64Array) => params.set(paramName(kind, k, d), { shape, data });
      put('weight_ih', [4 * H, layer.inputSize], p.weightIh);
      put('weight_hh', [4 * H, H], p.weightHh);
      if (hasBias) put('bias_ih', [4 * H], p.biasIh ?? new Float64Array(4 * H));
      if (hasBias) put('bias_hh', [4 * H], p.biasHh ?? new Float64Array(4 * H));
      if (peepholes) put('weight_peephole', [3 * H], p.peephole ?? new Float64Array(3 * H));
    });
  });
  head?.layers.forEach((layer, k) => {
    params.set(headParamName('weight', k), { shape: [layer.outFeatures, layer.inFeatures], data: layer.weight });
    params.set(headParamName('bias', k), { shape: [layer.outFeatures], data: layer.bias });
  });
  const config = {
    inputSize: first.inputSize,
    hiddenSize: H,
    numLayers: layers.length,
    bidirectional: D === 2,
    bias: hasBias,
    batchFirst,
    ...(attrs.activations ? { activations: attrs.activations } : {}),
    peepholes,
    ...(attrs.clip !== undefined ? { cellClip: attrs.clip } : {}),
    inputForget: attrs.inputForget,
    goBackwards: attrs.direction === 'reverse',
    ...(head ? { head: { layers: head.layers.map((l) => ({ outFeatures: l.outFeatures, activation: l.activation })), over: head.over } } : {}),
  };
  return { config, params };
}

/**
 * Reads an ONNX file whose graph is an LSTM stack (LSTM nodes, with the Transpose, Squeeze,
 * Reshape, Slice and Concat nodes exporters put between and around them) and optionally a dense
 * head (MatMul + Add or Gemm, with Relu/Sigmoid/Tanh/Softmax/LogSoftmax) as this library's model: what
 * `convert` and `train` take. The graph is first compiled as OnnxSession compiles it (nodes in
 * topological order, every node whose inputs are constant evaluated once: W, R and B computed in
 * the graph from initializers become weights, as PyTorch <= 1.3 exported without constant folding
 * and opset-6/7 files hold them); the nodes left, those that depend on a graph input, are then read
 * as a stack (docs/formats.md), and anything the outputs depend on that is not the stack or
 * its head is refused, naming the node and why. The file is untrusted: its size is checked against
 * maxBytes before decoding, every tensor and every folded value before it is made.
 *
 * @example
 * const { model, inputs, outputs } = modelFromOnnx(readFileSync('lstm.onnx'), { maxBytes: 256 << 20 });
 */
export function modelFromOnnx(bytes: Uint8Array, options: OnnxReadOptions = {}): OnnxModel {
  const { graph, opset, inputs, program, budget } = compileOnnxFile(bytes, options?.maxBytes);
  const inputNames = inputs.map((i) => i.name ?? '');
  const state = new WalkState(budget, opset);
  const values = new Map<string, Value>();
  for (const [name, t] of program.constants) values.set(name, { kind: 'const', tensor: { dims: [...t.dims], data: t.data instanceof Float64Array ? t.data : Float64Array.from(t.data) } });
  for (const name of inputNames) values.set(name, { kind: 'input', name, swapped: false });
  for (const step of program.steps) {
    const inputs = (step.node.input ?? []).map((name) => {
      if (name === '') return null;
      const value = values.get(name);
      if (!value) throw invalidArgument(`onnx: ${step.where} reads ${JSON.stringify(name)}, which nothing before it defines`);
      return value;
    });
    const produced = readNode(nodeContext(step.where, step.node, inputs), state);
    (step.node.output ?? []).forEach((name, j) => values.set(name, produced[j] ?? { kind: 'opaque', origin: step.where }));
  }
  if (state.layers.length === 0) throw invalidArgument('onnx: the graph has no LSTM node');
  const outputs = (graph.output ?? []).map((o) => ({ name: o.name ?? '', view: outputView(o.name ?? '', values.get(o.name ?? ''), state) }));
  const heads = (graph.output ?? []).map((o) => values.get(o.name ?? '')).filter((v): v is Extract<Value, { kind: 'head' }> => v?.kind === 'head');
  if (heads.length > 1 || (heads[0] && heads[0].layer !== state.topLayer())) throw invalidArgument('onnx: the dense head must be one chain over the top LSTM layer');
  const role = (r: string) => [...state.roles].find(([, v]) => v === r)?.[0];
  const lengthNames = new Set(state.layers.map((l) => l.lengths));
  if (lengthNames.size > 1) throw invalidArgument('onnx: every LSTM node must read the same sequence_lens (or none)');
  for (const which of ['initialH', 'initialC'] as const) {
    const kinds = new Set(state.layers.map((l) => l[which].kind));
    if (kinds.size > 1) throw invalidArgument(`onnx: some LSTM nodes read ${which === 'initialH' ? 'initial_h' : 'initial_c'} from a graph input and others start from zeros; a model's initial state is one input for every layer`);
  }
  const { config, params } = assemble(state, heads[0] ?? null, state.batchFirst ?? false);
  const model = new LSTM(config, params, { nonFinite: options?.nonFinite });
  const h0 = role('h0');
  const c0 = role('c0');
  const lengths = role('lengths');
  return {
    model,
    inputs: { x: role('x')!, ...(h0 ? { h0 } : {}), ...(c0 ? { c0 } : {}), ...(lengths ? { lengths } : {}), statesBatchMajor: state.layers[0].attrs.layout === 1 },
    outputs,
  };
}

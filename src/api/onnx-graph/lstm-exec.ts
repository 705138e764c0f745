import { formatShape } from '../../core/describe.js';
import { invalidArgument, invalidShape } from '../../core/errors.js';
import type { ForwardResult } from '../../core/results.js';
import type { Tensor } from '../../core/tensor.js';
import { LSTM } from '../../model/lstm.js';
import { paramName, type ParamKind } from '../../model/params.js';
import type { ForwardOptions } from '../forward-input.js';
import { directionParams, lstmAttributes, type LstmNodeAttributes } from '../../formats/onnx/lstm-node.js';
import type { NodeProto } from '../../formats/onnx/proto.js';
import type { OnnxTensor } from '../../formats/onnx/tensors.js';
import { allocate, type HostTensor } from './host-tensor.js';

/** Runs one of our LSTMs (time-major x [T, B, I]) on a backend: the CPU reference or a loaded runner. */
export type LstmForward = (model: LSTM, x: Float64Array, options: ForwardOptions) => Promise<ForwardResult> | ForwardResult;

/** An ONNX LSTM node whose W, R, B, P were constant at load: our one-layer LSTM, and the node's attributes. */
export interface LstmNodeModel {
  readonly where: string;
  readonly attrs: LstmNodeAttributes;
  readonly model: LSTM;
  readonly directions: number;
}

const asOnnx = (t: HostTensor): OnnxTensor => ({ dims: [...t.dims], data: t.data });

/** Builds our model from the node's folded weights; W, R (and B, P when given) must be constant. */
export function lstmNodeModel(where: string, node: NodeProto, constant: (k: number) => HostTensor | null | 'dynamic'): LstmNodeModel {
  const attrs = lstmAttributes(where, node);
  const D = attrs.direction === 'bidirectional' ? 2 : 1;
  const H = attrs.hiddenSize;
  const get = (k: number, what: string) => {
    const t = constant(k);
    if (t === 'dynamic') throw invalidArgument(`${where}: ${what} depends on a graph input; this library needs the LSTM's weights fixed at load time (initializers, Constants, or nodes computed from them)`);
    return t;
  };
  const w = get(1, 'W');
  const r = get(2, 'R');
  if (!w || !r) throw invalidArgument(`${where}: W and R are required`);
  if (w.dims.length !== 3) throw invalidShape(`${where}: W must be [D, 4H, I], got ${formatShape([...w.dims])}`);
  const I = w.dims[2];
  const b = get(3, 'B');
  const p = get(7, 'P');
  const params = directionParams(where, D, H, I, asOnnx(w), asOnnx(r), b ? asOnnx(b) : null, p ? asOnnx(p) : null);
  const map = new Map<string, Tensor<Float64Array>>();
  params.forEach((q, d) => {
    const put = (kind: ParamKind, shape: number[], data: Float64Array) => map.set(paramName(kind, 0, d), { shape, data });
    put('weight_ih', [4 * H, I], q.weightIh);
    put('weight_hh', [4 * H, H], q.weightHh);
    if (b) put('bias_ih', [4 * H], q.biasIh!);
    if (b) put('bias_hh', [4 * H], q.biasHh!);
    if (p) put('weight_peephole', [3 * H], q.peephole!);
  });
  const config = {
    inputSize: I,
    hiddenSize: H,
    numLayers: 1,
    bidirectional: D === 2,
    bias: b !== null,
    batchFirst: false,
    ...(attrs.activations ? { activations: attrs.activations } : {}),
    peepholes: p !== null,
    ...(attrs.clip !== undefined ? { cellClip: attrs.clip } : {}),
    inputForget: attrs.inputForget,
    goBackwards: attrs.direction === 'reverse',
  };
  return { where, attrs, model: new LSTM(config, map), directions: D };
}

/** [A, B, W] → [B, A, W]. */
function swap01(data: Float64Array, A: number, B: number, W: number): Float64Array {
  const out = new Float64Array(data.length);
  for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) out.set(data.subarray((a * B + b) * W, (a * B + b + 1) * W), (b * A + a) * W);
  return out;
}

/**
 * Runs the node as ONNX defines it: Y [T, D, B, H] (layout 1: [B, T, D, H]), Y_h and Y_c [D, B, H]
 * (layout 1: [B, D, H]). Sequences of length 0 are left out of the call and get zero outputs and
 * states, as onnxruntime gives them; the reverse direction's Y is in the input's time order.
 */
export async function runLstmNode(n: LstmNodeModel, inputs: readonly (HostTensor | null)[], forward: LstmForward, maxBytes: number): Promise<HostTensor[]> {
  const { where, attrs, model, directions: D } = n;
  const H = attrs.hiddenSize;
  const I = model.config.inputSize;
  const x = inputs[0];
  if (!x || x.dims.length !== 3) throw invalidShape(`${where}: X must be 3-D, got ${x ? formatShape([...x.dims]) : 'nothing'}`);
  const batchMajor = attrs.layout === 1;
  const [T, B] = batchMajor ? [x.dims[1], x.dims[0]] : [x.dims[0], x.dims[1]];
  if (x.dims[2] !== I) throw invalidShape(`${where}: X's last axis must be input_size ${I} (W's), got ${formatShape([...x.dims])}`);
  const xt = batchMajor ? swap01(x.data, B, T, I) : x.data;
  const lens = inputs[4];
  if (lens && (lens.data.length !== B || lens.data.some((v) => !(Number.isInteger(v) && v >= 0 && v <= T)))) throw invalidArgument(`${where}: sequence_lens must be ${B} integers in [0, ${T}], got ${formatShape([...lens.dims])}`);
  const kept = Array.from({ length: B }, (_, b) => b).filter((b) => !lens || lens.data[b] !== 0);
  const state = (t: HostTensor | null | undefined, what: string) => {
    if (!t) return undefined;
    const dims = batchMajor ? [B, D, H] : [D, B, H];
    if (t.data.length !== D * B * H) throw invalidShape(`${where}: ${what} must be ${formatShape(dims)}, got ${formatShape([...t.dims])}`);
    const tm = batchMajor ? swap01(t.data, B, D, H) : t.data;
    const out = new Float64Array(D * kept.length * H);
    for (let d = 0; d < D; d++) kept.forEach((b, j) => out.set(tm.subarray((d * B + b) * H, (d * B + b + 1) * H), (d * kept.length + j) * H));
    return out;
  };
  const y = allocate(where, batchMajor ? [B, T, D, H] : [T, D, B, H], false, maxBytes);
  const yh = allocate(where, batchMajor ? [B, D, H] : [D, B, H], false, maxBytes);
  const yc = allocate(where, batchMajor ? [B, D, H] : [D, B, H], false, maxBytes);
  if (kept.length > 0 && T > 0) {
    const Bk = kept.length;
    const xk = new Float64Array(T * Bk * I);
    for (let t = 0; t < T; t++) kept.forEach((b, j) => xk.set(xt.subarray((t * B + b) * I, (t * B + b + 1) * I), (t * Bk + j) * I));
    const h0 = state(inputs[5], 'initial_h');
    const c0 = state(inputs[6], 'initial_c');
    const options: ForwardOptions = { steps: T, batch: Bk, ...(h0 ? { h0 } : {}), ...(c0 ? { c0 } : {}), ...(lens ? { lengths: kept.map((b) => lens.data[b]) } : {}) };
    const r = await forward(model, xk, options);
    const reverse = attrs.direction === 'reverse';
    for (let t = 0; t < T; t++) {
      const src = reverse ? T - 1 - t : t;
      for (let d = 0; d < D; d++) kept.forEach((b, j) => {
        const from = (src * Bk + j) * D * H + d * H;
        const to = batchMajor ? ((b * T + t) * D + d) * H : ((t * D + d) * B + b) * H;
        for (let k = 0; k < H; k++) y.data[to + k] = r.output.data[from + k];
      });
    }
    for (let d = 0; d < D; d++) kept.forEach((b, j) => {
      const to = batchMajor ? (b * D + d) * H : (d * B + b) * H;
      for (let k = 0; k < H; k++) {
        yh.data[to + k] = r.hN.data[(d * Bk + j) * H + k];
        yc.data[to + k] = r.cN.data[(d * Bk + j) * H + k];
      }
    });
  }
  return [y, yh, yc];
}

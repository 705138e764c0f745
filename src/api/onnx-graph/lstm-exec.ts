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
import { allocate, checkAllocation, sizeOf, type HostTensor } from './host-tensor.js';

/**
 * Runs one of our LSTMs (time-major x [T, B, I]) on a backend: the CPU reference or a loaded
 * runner. Its result's arrays are the session's afterwards (a fresh result per call): where the
 * graph only reshapes Y, the output is the backend's own array (float32 from a float32 backend).
 */
export type LstmForward = (model: LSTM, x: Float64Array | Float32Array, options: ForwardOptions) => Promise<ForwardResult> | ForwardResult;

/** An ONNX LSTM node whose W, R, B, P were constant at load: our one-layer LSTM, and the node's attributes. */
export interface LstmNodeModel {
  readonly where: string;
  readonly attrs: LstmNodeAttributes;
  readonly model: LSTM;
  readonly directions: number;
}

const asOnnx = (t: HostTensor): OnnxTensor => ({ dims: [...t.dims], data: t.data instanceof Float64Array ? t.data : Float64Array.from(t.data) });

/** Builds our model from the node's folded weights; W, R (and B, P when given) must be constant. `opset`: the file's ai.onnx opset. */
export function lstmNodeModel(where: string, node: NodeProto, constant: (k: number) => HostTensor | null | 'dynamic', opset?: number): LstmNodeModel {
  const attrs = lstmAttributes(where, node, opset);
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

function allZero(data: ArrayLike<number>): boolean {
  for (let k = 0; k < data.length; k++) if (data[k] !== 0) return false;
  return true;
}

/** [A, B, W] → [B, A, W]. */
function swap01(data: Float64Array | Float32Array, A: number, B: number, W: number): Float64Array {
  const out = new Float64Array(data.length);
  for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) out.set(data.subarray((a * B + b) * W, (a * B + b + 1) * W), (b * A + a) * W);
  return out;
}

/**
 * Consecutive LSTM nodes as one of our multi-layer models (fusion, ./stack-fusion.ts): every node
 * forward or bidirectional with the same hidden_size, layout, activations, clip and input_forget,
 * each reading the one before's Y. A node without B (P) gets zeros, as ONNX defines them.
 */
export function stackModel(nodes: readonly LstmNodeModel[]): LstmNodeModel {
  const first = nodes[0];
  const hasBias = nodes.some((n) => n.model.config.bias);
  const peepholes = nodes.some((n) => n.model.config.peepholes);
  const H = first.attrs.hiddenSize;
  const map = new Map<string, Tensor<Float64Array>>();
  nodes.forEach((n, layer) => {
    const own = n.model.tensors();
    for (let d = 0; d < n.directions; d++) {
      const take = (kind: ParamKind, size: number[]) => map.set(paramName(kind, layer, d), own.get(paramName(kind, 0, d)) ?? { shape: size, data: new Float64Array(size.reduce((a, b) => a * b, 1)) });
      take('weight_ih', [4 * H, n.model.config.inputSize]);
      take('weight_hh', [4 * H, H]);
      if (hasBias) take('bias_ih', [4 * H]);
      if (hasBias) take('bias_hh', [4 * H]);
      if (peepholes) take('weight_peephole', [3 * H]);
    }
  });
  const config = { ...first.model.config, numLayers: nodes.length, bias: hasBias, peepholes };
  return { where: nodes.map((n) => n.where).join(' + '), attrs: first.attrs, model: new LSTM(config, map), directions: first.directions };
}

/** One layer's initial_h / initial_c inputs (null: zeros). */
export interface LayerStates {
  readonly h: HostTensor | null;
  readonly c: HostTensor | null;
}

/** Runs one node (a one-layer model): ONNX's outputs [Y, Y_h, Y_c]. */
export async function runLstmNode(n: LstmNodeModel, inputs: readonly (HostTensor | null)[], forward: LstmForward, maxBytes: number): Promise<HostTensor[]> {
  const r = await runLstmStack(n, inputs[0] ?? null, inputs[4] ?? null, [{ h: inputs[5] ?? null, c: inputs[6] ?? null }], forward, maxBytes);
  return [r.y, r.yh[0], r.yc[0]];
}

/**
 * Runs a node, or a fused stack of nodes, as ONNX defines each node: Y [T, D, B, H] of the top
 * layer (layout 1: [B, T, D, H]), Y_h and Y_c [D, B, H] per layer (layout 1: [B, D, H]), in one
 * forward call. Sequences of length 0 are left out of the call and get zero outputs and states, as
 * onnxruntime gives them; the reverse direction's Y is in the input's time order.
 */
export async function runLstmStack(n: LstmNodeModel, x: HostTensor | null, lens: HostTensor | null, states: readonly LayerStates[], forward: LstmForward, maxBytes: number): Promise<{ y: HostTensor; yh: HostTensor[]; yc: HostTensor[] }> {
  const { where, attrs, model, directions: D } = n;
  const H = attrs.hiddenSize;
  const L = states.length;
  const I = model.config.inputSize;
  if (!x || x.dims.length !== 3) throw invalidShape(`${where}: X must be 3-D, got ${x ? formatShape([...x.dims]) : 'nothing'}`);
  const batchMajor = attrs.layout === 1;
  const [T, B] = batchMajor ? [x.dims[1], x.dims[0]] : [x.dims[0], x.dims[1]];
  if (x.dims[2] !== I) throw invalidShape(`${where}: X's last axis must be input_size ${I} (W's), got ${formatShape([...x.dims])}`);
  const xt = batchMajor ? swap01(x.data, B, T, I) : x.data;
  if (lens && (lens.data.length !== B || lens.data.some((v) => !(Number.isInteger(v) && v >= 0 && v <= T)))) throw invalidArgument(`${where}: sequence_lens must be ${B} integers in [0, ${T}], got ${formatShape([...lens.dims])}`);
  const kept = Array.from({ length: B }, (_, b) => b).filter((b) => !lens || lens.data[b] !== 0);
  const Bk = kept.length;
  // Our forward's h0/c0 are [L·D, B, H] time-major over every layer; a layer without one starts at zeros.
  const state = (which: 'h' | 'c') => {
    const dims = batchMajor ? [B, D, H] : [D, B, H];
    for (const s of states) if (s[which] && s[which].data.length !== D * B * H) throw invalidShape(`${where}: initial_${which} must be ${formatShape(dims)}, got ${formatShape([...s[which].dims])}`);
    // All-zero states (PyTorch's and tf2onnx's exports build them in the graph) are the forward's default: nothing to upload.
    if (states.every((s) => !s[which] || allZero(s[which].data))) return undefined;
    const out = new Float64Array(L * D * Bk * H);
    states.forEach((s, l) => {
      const t = s[which];
      if (!t) return;
      const tm = batchMajor ? swap01(t.data, B, D, H) : t.data;
      for (let d = 0; d < D; d++) kept.forEach((b, j) => out.set(tm.subarray((d * B + b) * H, (d * B + b + 1) * H), ((l * D + d) * Bk + j) * H));
    });
    return out;
  };
  const yDims = batchMajor ? [B, T, D, H] : [T, D, B, H];
  checkAllocation(where, yDims, maxBytes);
  const yh = states.map(() => allocate(where, batchMajor ? [B, D, H] : [D, B, H], false, maxBytes));
  const yc = states.map(() => allocate(where, batchMajor ? [B, D, H] : [D, B, H], false, maxBytes));
  let y: HostTensor | null = null;
  if (Bk > 0 && T > 0) {
    let xk = xt;
    if (Bk !== B) {
      const picked = new Float64Array(T * Bk * I);
      for (let t = 0; t < T; t++) kept.forEach((b, j) => picked.set(xt.subarray((t * B + b) * I, (t * B + b + 1) * I), (t * Bk + j) * I));
      xk = picked;
    }
    const h0 = state('h');
    const c0 = state('c');
    const options: ForwardOptions = { steps: T, batch: Bk, ...(h0 ? { h0 } : {}), ...(c0 ? { c0 } : {}), ...(lens ? { lengths: kept.map((b) => lens.data[b]) } : {}) };
    const r = await forward(model, xk, options);
    const reverse = attrs.direction === 'reverse';
    const out = r.output.data;
    if (!batchMajor && !reverse && D === 1 && Bk === B && out.length === sizeOf(yDims)) {
      // Our [T, B, H] is ONNX's [T, 1, B, H] element for element: Y is the forward's own array (no copy, no widening to float64).
      y = { dims: yDims, data: out, int: false };
    } else {
      y = allocate(where, yDims, false, maxBytes);
      for (let t = 0; t < T; t++) {
        const src = reverse ? T - 1 - t : t;
        for (let d = 0; d < D; d++) {
          for (let j = 0; j < Bk; j++) {
            const b = kept[j];
            const from = (src * Bk + j) * D * H + d * H;
            const to = batchMajor ? ((b * T + t) * D + d) * H : ((t * D + d) * B + b) * H;
            y.data.set(out.subarray(from, from + H), to);
          }
        }
      }
    }
    for (let l = 0; l < L; l++) for (let d = 0; d < D; d++) kept.forEach((b, j) => {
      const to = batchMajor ? (b * D + d) * H : (d * B + b) * H;
      const from = ((l * D + d) * Bk + j) * H;
      yh[l].data.set(r.hN.data.subarray(from, from + H), to);
      yc[l].data.set(r.cN.data.subarray(from, from + H), to);
    });
  }
  return { y: y ?? allocate(where, yDims, false, maxBytes), yh, yc };
}

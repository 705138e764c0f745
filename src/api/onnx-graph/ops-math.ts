import { formatShape } from '../../core/describe.js';
import { invalidShape } from '../../core/errors.js';
import { allocate, broadcastDims, intList, normAxis, sizeOf, stridesOf, type HostTensor } from './host-tensor.js';
import { input, intAttr, intsAttr, type HostOp, type OpContext } from './op-context.js';
import { broadcastMap } from './ops-elementwise.js';

function floatAttr(ctx: OpContext, name: string, fallback: number): number {
  const v = ctx.attributes.get(name);
  return typeof v === 'number' ? v : fallback;
}

/** NumPy matmul: 1-D operands promoted and dropped again, batch axes broadcast. */
function matmul(ctx: OpContext, a: HostTensor, b: HostTensor): HostTensor {
  const ad = a.dims.length === 1 ? [1, a.dims[0]] : [...a.dims];
  const bd = b.dims.length === 1 ? [b.dims[0], 1] : [...b.dims];
  const [M, K] = ad.slice(-2);
  const [K2, N] = bd.slice(-2);
  if (K !== K2) throw invalidShape(`${ctx.where}: ${formatShape([...a.dims])} × ${formatShape([...b.dims])}: inner dims differ`);
  const batch = broadcastDims(ctx.where, [ad.slice(0, -2), bd.slice(0, -2)]);
  const dims = [...batch, M, N];
  const out = allocate(ctx.where, dims, a.int && b.int, ctx.maxBytes);
  const nb = sizeOf(batch);
  const aBatch = ad.slice(0, -2);
  const bBatch = bd.slice(0, -2);
  const offsetIn = (bdims: number[], k: number) => {
    let off = 0;
    let rem = k;
    const bs = stridesOf(batch);
    const own = stridesOf(bdims);
    for (let ax = 0; ax < batch.length; ax++) {
      const i = Math.floor(rem / bs[ax]);
      rem -= i * bs[ax];
      const j = ax - (batch.length - bdims.length);
      if (j >= 0 && bdims[j] !== 1) off += i * own[j];
    }
    return off;
  };
  for (let q = 0; q < nb; q++) {
    const ao = offsetIn(aBatch, q) * M * K;
    const bo = offsetIn(bBatch, q) * K * N;
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a.data[ao + i * K + k] * b.data[bo + k * N + j];
      out.data[(q * M + i) * N + j] = s;
    }
  }
  const final = [...batch, ...(a.dims.length === 1 ? [] : [M]), ...(b.dims.length === 1 ? [] : [N])];
  return { dims: final, data: out.data, int: out.int };
}

/** Softmax / LogSoftmax: opset ≥ 13 over one axis (default −1); before, over the flattened axes ≥ axis (default 1). */
function softmax(log: boolean): HostOp {
  return (ctx) => {
    const x = input(ctx, 0);
    const r = x.dims.length;
    const axis = normAxis(ctx.where, intAttr(ctx, 'axis', ctx.opset >= 13 ? -1 : 1), Math.max(r, 1));
    const out = allocate(ctx.where, x.dims, false, ctx.maxBytes);
    const [outer, n, inner] = ctx.opset >= 13 ? [sizeOf(x.dims.slice(0, axis)), x.dims[axis], sizeOf(x.dims.slice(axis + 1))] : [sizeOf(x.dims.slice(0, axis)), sizeOf(x.dims.slice(axis)), 1];
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
      const at = (k: number) => (o * n + k) * inner + i;
      let m = -Infinity;
      for (let k = 0; k < n; k++) m = Math.max(m, x.data[at(k)]);
      let s = 0;
      for (let k = 0; k < n; k++) s += Math.exp(x.data[at(k)] - m);
      for (let k = 0; k < n; k++) out.data[at(k)] = log ? x.data[at(k)] - m - Math.log(s) : Math.exp(x.data[at(k)] - m) / s;
    }
    return [out];
  };
}

/** ReduceMean/Sum/Max: axes from the attribute (opset < 18; ReduceSum < 13) or the input; keepdims default 1. */
function reduce(kind: 'mean' | 'sum' | 'max', inputFrom: number): HostOp {
  return (ctx) => {
    const x = input(ctx, 0);
    const r = x.dims.length;
    const given = ctx.opset >= inputFrom ? (ctx.inputs[1] ? intList(ctx.where, 'axes', ctx.inputs[1]) : undefined) : intsAttr(ctx, 'axes');
    const noop = intAttr(ctx, 'noop_with_empty_axes', 0) === 1;
    if ((given === undefined || given.length === 0) && noop) return [x];
    const axes = given && given.length > 0 ? given.map((a) => normAxis(ctx.where, a, r)) : Array.from({ length: r }, (_, k) => k);
    const keep = intAttr(ctx, 'keepdims', 1) === 1;
    const kept = x.dims.map((d, k) => (axes.includes(k) ? 1 : d));
    const out = allocate(ctx.where, kept, x.int && kind !== 'mean', ctx.maxBytes);
    out.data.fill(kind === 'max' ? -Infinity : 0);
    const os = stridesOf(kept);
    const xs = stridesOf(x.dims);
    for (let k = 0; k < x.data.length; k++) {
      let o = 0;
      for (let ax = 0; ax < r; ax++) if (!axes.includes(ax)) o += (Math.floor(k / xs[ax]) % x.dims[ax]) * os[ax];
      out.data[o] = kind === 'max' ? Math.max(out.data[o], x.data[k]) : out.data[o] + x.data[k];
    }
    if (kind === 'mean') {
      const n = x.data.length / Math.max(out.data.length, 1);
      for (let k = 0; k < out.data.length; k++) out.data[k] /= n;
    }
    return [{ dims: keep ? kept : x.dims.filter((_, k) => !axes.includes(k)), data: out.data, int: out.int }];
  };
}

export const kMathOps: Record<string, HostOp> = {
  MatMul: (ctx) => [matmul(ctx, input(ctx, 0), input(ctx, 1))],
  Gemm: (ctx) => {
    const t = (x: HostTensor, flag: string): HostTensor => {
      if (x.dims.length !== 2) throw invalidShape(`${ctx.where}: Gemm takes 2-D A and B, got ${formatShape([...x.dims])}`);
      if (intAttr(ctx, flag, 0) !== 1) return x;
      const [r, c] = x.dims;
      const d = new Float64Array(r * c);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) d[j * r + i] = x.data[i * c + j];
      return { dims: [c, r], data: d, int: x.int };
    };
    const alpha = floatAttr(ctx, 'alpha', 1);
    const beta = floatAttr(ctx, 'beta', 1);
    const y = matmul(ctx, t(input(ctx, 0), 'transA'), t(input(ctx, 1), 'transB'));
    const c = ctx.inputs[2];
    if (!c) return [broadcastMap(ctx, [y], false, (v) => alpha * v)];
    return [broadcastMap(ctx, [y, c], false, (v, w) => alpha * v + beta * w)];
  },
  Softmax: softmax(false),
  LogSoftmax: softmax(true),
  ReduceMean: reduce('mean', 18),
  ReduceSum: reduce('sum', 13),
  ReduceMax: reduce('max', 18),
  /** Inference mode: (x − mean) / sqrt(var + ε) · scale + B over axis 1. */
  BatchNormalization: (ctx) => {
    const x = input(ctx, 0);
    const [scale, bias, mean, variance] = [1, 2, 3, 4].map((k) => input(ctx, k));
    const eps = floatAttr(ctx, 'epsilon', Math.fround(1e-5));
    const C = x.dims[1] ?? 1;
    for (const p of [scale, bias, mean, variance]) if (p.data.length !== C) throw invalidShape(`${ctx.where}: per-channel parameters must have ${C} values, got ${formatShape([...p.dims])}`);
    const inner = sizeOf(x.dims.slice(2));
    const out = allocate(ctx.where, x.dims, false, ctx.maxBytes);
    for (let k = 0; k < x.data.length; k++) {
      const c = Math.floor(k / inner) % C;
      out.data[k] = ((x.data[k] - mean.data[c]) / Math.sqrt(variance.data[c] + eps)) * scale.data[c] + bias.data[c];
    }
    return [out];
  },
  /** Opset 17: normalizes over axes ≥ axis (default −1), then · Scale + B (broadcast); also gives Mean and InvStdDev. */
  LayerNormalization: (ctx) => {
    const x = input(ctx, 0);
    const axis = normAxis(ctx.where, intAttr(ctx, 'axis', -1), x.dims.length);
    const eps = floatAttr(ctx, 'epsilon', Math.fround(1e-5));
    const n = sizeOf(x.dims.slice(axis));
    const norm = allocate(ctx.where, x.dims, false, ctx.maxBytes);
    // The optional outputs Mean and InvStdDev: X's dims with the normalized axes as 1.
    const statDims = x.dims.map((d, k) => (k < axis ? d : 1));
    const [mean, invStd] = [0, 1].map(() => allocate(ctx.where, statDims, false, ctx.maxBytes));
    for (let o = 0; o < x.data.length / n; o++) {
      let m = 0;
      for (let k = 0; k < n; k++) m += x.data[o * n + k];
      m /= n;
      let v = 0;
      for (let k = 0; k < n; k++) v += (x.data[o * n + k] - m) ** 2;
      const inv = 1 / Math.sqrt(v / n + eps);
      for (let k = 0; k < n; k++) norm.data[o * n + k] = (x.data[o * n + k] - m) * inv;
      mean.data[o] = m;
      invStd.data[o] = inv;
    }
    const scale = input(ctx, 1);
    const b = ctx.inputs[2];
    return [b ? broadcastMap(ctx, [norm, scale, b], false, (v, s, c) => v * s + c) : broadcastMap(ctx, [norm, scale], false, (v, s) => v * s), mean, invStd];
  },
  ArgMax: (ctx) => {
    const x = input(ctx, 0);
    const axis = normAxis(ctx.where, intAttr(ctx, 'axis', 0), x.dims.length);
    const keep = intAttr(ctx, 'keepdims', 1) === 1;
    const last = intAttr(ctx, 'select_last_index', 0) === 1;
    const [outer, d, inner] = [sizeOf(x.dims.slice(0, axis)), x.dims[axis], sizeOf(x.dims.slice(axis + 1))];
    const dims = keep ? x.dims.map((v, k) => (k === axis ? 1 : v)) : x.dims.filter((_, k) => k !== axis);
    const out = allocate(ctx.where, dims, true, ctx.maxBytes);
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
      let best = 0;
      for (let k = 1; k < d; k++) {
        const v = x.data[(o * d + k) * inner + i];
        const b = x.data[(o * d + best) * inner + i];
        if (v > b || (last && v === b)) best = k;
      }
      out.data[o * inner + i] = best;
    }
    return [out];
  },
};

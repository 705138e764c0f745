import { formatShape } from '../../core/describe.js';
import { invalidArgument, invalidShape } from '../../core/errors.js';
import { allocate, broadcastDims, broadcastStrides, forEachIndex, intList, normAxis, sizeOf, stridesOf, type HostTensor } from './host-tensor.js';
import { input, intAttr, intsAttr, type HostOp, type OpContext } from './op-context.js';

const shapeOf = (dims: readonly number[]) => [...dims];
const reshaped = (x: HostTensor, dims: number[]): HostTensor => ({ dims, data: x.data, int: x.int });

/** Axes from the attribute (before `inputFrom` opset) or the input (from it on). */
function axesOf(ctx: OpContext, inputFrom: number, k = 1): number[] | undefined {
  if (ctx.opset >= inputFrom) return ctx.inputs[k] ? intList(ctx.where, 'axes', ctx.inputs[k]) : undefined;
  return intsAttr(ctx, 'axes');
}

function intVector(ctx: OpContext, values: number[]): HostTensor {
  const out = allocate(ctx.where, [values.length], true, ctx.maxBytes);
  out.data.set(values);
  return out;
}

/** Copies x's elements along a permutation/selection: src offset of each output element. */
function gatherBy(ctx: OpContext, x: HostTensor, dims: number[], offset: (index: number[]) => number): HostTensor {
  const out = allocate(ctx.where, dims, x.int, ctx.maxBytes);
  const index = new Array<number>(dims.length).fill(0);
  for (let k = 0; k < out.data.length; k++) {
    out.data[k] = x.data[offset(index)];
    for (let ax = dims.length - 1; ax >= 0; ax--) {
      if (++index[ax] < dims[ax]) break;
      index[ax] = 0;
    }
  }
  return out;
}

function transpose(ctx: OpContext, x: HostTensor, perm: number[]): HostTensor {
  const s = stridesOf(x.dims);
  const dims = perm.map((p) => x.dims[p]);
  const ps = perm.map((p) => s[p]);
  return gatherBy(ctx, x, dims, (i) => i.reduce((acc, v, k) => acc + v * ps[k], 0));
}

function slice(ctx: OpContext, x: HostTensor, starts: number[], ends: number[], axes: number[] | undefined, steps: number[] | undefined): HostTensor {
  const rank = x.dims.length;
  const ax = (axes ?? starts.map((_, k) => k)).map((a) => normAxis(ctx.where, a, rank));
  if (ends.length !== starts.length || ax.length !== starts.length) throw invalidArgument(`${ctx.where}: starts, ends and axes have different lengths`);
  const begin = new Array<number>(rank).fill(0);
  const step = new Array<number>(rank).fill(1);
  const dims = [...x.dims];
  ax.forEach((a, k) => {
    const d = x.dims[a];
    const st = steps?.[k] ?? 1;
    if (st === 0) throw invalidArgument(`${ctx.where}: steps must not be 0`);
    const clampIdx = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v < 0 ? v + d : v));
    // ONNX: a negative step clamps starts to [0, d-1] and ends to [-1, d-1]; an end of INT32_MAX or
    // INT64_MAX (read as 2^63) means "to the end" in the step's direction, as onnxruntime.
    const toEnd = ends[k] === 2 ** 31 - 1 || ends[k] >= 2 ** 63;
    const s0 = st > 0 ? clampIdx(starts[k], 0, d) : clampIdx(starts[k], 0, d - 1);
    const e0 = toEnd ? (st > 0 ? d : -1) : st > 0 ? clampIdx(ends[k], 0, d) : clampIdx(ends[k], -1, d - 1);
    begin[a] = s0;
    step[a] = st;
    dims[a] = Math.max(0, Math.ceil((e0 - s0) / st));
  });
  const s = stridesOf(x.dims);
  return gatherBy(ctx, x, dims, (i) => i.reduce((acc, v, k) => acc + (begin[k] + v * step[k]) * s[k], 0));
}

function concat(ctx: OpContext, xs: HostTensor[], axisAttr: number): HostTensor {
  if (xs.length === 0) throw invalidArgument(`${ctx.where}: needs at least one input, got none`);
  const rank = xs[0].dims.length;
  const axis = normAxis(ctx.where, axisAttr, rank);
  for (const t of xs) {
    if (t.dims.length !== rank || t.dims.some((d, k) => k !== axis && d !== xs[0].dims[k])) throw invalidShape(`${ctx.where}: inputs ${xs.map((q) => formatShape([...q.dims])).join(', ')} do not concatenate along axis ${axis}`);
  }
  const dims = [...xs[0].dims];
  dims[axis] = xs.reduce((a, t) => a + t.dims[axis], 0);
  const out = allocate(ctx.where, dims, xs.every((t) => t.int), ctx.maxBytes);
  const outer = sizeOf(dims.slice(0, axis));
  const inner = sizeOf(dims.slice(axis + 1));
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const t of xs) {
      const n = t.dims[axis] * inner;
      out.data.set(t.data.subarray(o * n, (o + 1) * n), at);
      at += n;
    }
  }
  return out;
}

export const kShapeOps: Record<string, HostOp> = {
  Shape: (ctx) => {
    const dims = input(ctx, 0).dims;
    const r = dims.length;
    const clamp = (v: number) => Math.min(r, Math.max(0, v < 0 ? v + r : v));
    return [intVector(ctx, dims.slice(clamp(intAttr(ctx, 'start', 0)), clamp(intAttr(ctx, 'end', r))))];
  },
  Size: (ctx) => [{ dims: [], data: Float64Array.of(input(ctx, 0).data.length), int: true }],
  Reshape: (ctx) => {
    const x = input(ctx, 0);
    const target = ctx.opset >= 5 ? intList(ctx.where, 'shape', input(ctx, 1)) : (intsAttr(ctx, 'shape') ?? []);
    const allowZero = intAttr(ctx, 'allowzero', 0) === 1;
    const dims = target.map((d, k) => (d === 0 && !allowZero ? x.dims[k] : d));
    const free = dims.filter((d) => d === -1).length;
    if (free > 1 || dims.some((d) => d < -1 || d === undefined)) throw invalidArgument(`${ctx.where}: shape ${JSON.stringify(target)} is not a valid Reshape target`);
    const known = sizeOf(dims.filter((d) => d !== -1));
    if (free === 1) dims[dims.indexOf(-1)] = known === 0 ? 0 : x.data.length / known;
    if (sizeOf(dims) !== x.data.length || !dims.every(Number.isInteger)) throw invalidShape(`${ctx.where}: cannot reshape ${formatShape([...x.dims])} to ${JSON.stringify(target)}`);
    return [reshaped(x, dims)];
  },
  Flatten: (ctx) => {
    const x = input(ctx, 0);
    const a = intAttr(ctx, 'axis', 1);
    const axis = a === x.dims.length ? a : normAxis(ctx.where, a, x.dims.length);
    return [reshaped(x, [sizeOf(x.dims.slice(0, axis)), sizeOf(x.dims.slice(axis))])];
  },
  Squeeze: (ctx) => {
    const x = input(ctx, 0);
    const axes = axesOf(ctx, 13)?.map((a) => normAxis(ctx.where, a, x.dims.length));
    for (const a of axes ?? []) if (x.dims[a] !== 1) throw invalidShape(`${ctx.where}: axis ${a} of ${formatShape([...x.dims])} is not 1`);
    return [reshaped(x, x.dims.filter((d, k) => (axes ? !axes.includes(k) : d !== 1)))];
  },
  Unsqueeze: (ctx) => {
    const x = input(ctx, 0);
    const raw = axesOf(ctx, 13);
    if (!raw) throw invalidArgument(`${ctx.where}: axes is required`);
    const rank = x.dims.length + raw.length;
    const axes = raw.map((a) => normAxis(ctx.where, a, rank));
    if (new Set(axes).size !== axes.length) throw invalidArgument(`${ctx.where}: axes ${JSON.stringify(raw)} repeat`);
    const dims: number[] = [];
    let j = 0;
    for (let k = 0; k < rank; k++) dims.push(axes.includes(k) ? 1 : x.dims[j++]);
    return [reshaped(x, dims)];
  },
  Transpose: (ctx) => {
    const x = input(ctx, 0);
    const r = x.dims.length;
    const perm = intsAttr(ctx, 'perm') ?? Array.from({ length: r }, (_, k) => r - 1 - k);
    if (perm.length !== r || [...perm].sort((a, b) => a - b).some((p, k) => p !== k)) throw invalidArgument(`${ctx.where}: perm ${JSON.stringify(perm)} is not a permutation of ${r} axes`);
    return [transpose(ctx, x, perm)];
  },
  Slice: (ctx) => {
    const x = input(ctx, 0);
    if (ctx.opset < 10) return [slice(ctx, x, intsAttr(ctx, 'starts') ?? [], intsAttr(ctx, 'ends') ?? [], intsAttr(ctx, 'axes'), undefined)];
    const opt = (k: number, what: string) => (ctx.inputs[k] ? intList(ctx.where, what, ctx.inputs[k]) : undefined);
    return [slice(ctx, x, intList(ctx.where, 'starts', input(ctx, 1)), intList(ctx.where, 'ends', input(ctx, 2)), opt(3, 'axes'), opt(4, 'steps'))];
  },
  Gather: (ctx) => {
    const x = input(ctx, 0);
    const idx = input(ctx, 1);
    const axis = normAxis(ctx.where, intAttr(ctx, 'axis', 0), x.dims.length);
    const d = x.dims[axis];
    const ids = Array.from(idx.data, (v) => {
      const i = v < 0 ? v + d : v;
      if (!(i >= 0 && i < d)) throw invalidArgument(`${ctx.where}: index ${v} is outside [-${d}, ${d}) on axis ${axis}`);
      return i;
    });
    const outer = sizeOf(x.dims.slice(0, axis));
    const inner = sizeOf(x.dims.slice(axis + 1));
    const out = allocate(ctx.where, [...x.dims.slice(0, axis), ...idx.dims, ...x.dims.slice(axis + 1)], x.int, ctx.maxBytes);
    let at = 0;
    for (let o = 0; o < outer; o++) for (const i of ids) {
      out.data.set(x.data.subarray((o * d + i) * inner, (o * d + i + 1) * inner), at);
      at += inner;
    }
    return [out];
  },
  GatherElements: (ctx) => {
    const x = input(ctx, 0);
    const idx = input(ctx, 1);
    const axis = normAxis(ctx.where, intAttr(ctx, 'axis', 0), x.dims.length);
    if (idx.dims.length !== x.dims.length) throw invalidShape(`${ctx.where}: indices ${formatShape([...idx.dims])} must have the rank of data ${formatShape([...x.dims])}`);
    const s = stridesOf(x.dims);
    const d = x.dims[axis];
    return [gatherBy(ctx, x, [...idx.dims], (i) => {
      const flat = i.reduce((acc, v, k) => acc * idx.dims[k] + v, 0);
      const raw = idx.data[flat];
      const j = raw < 0 ? raw + d : raw;
      if (!(j >= 0 && j < d)) throw invalidArgument(`${ctx.where}: index ${raw} is outside [-${d}, ${d}) on axis ${axis}`);
      return i.reduce((acc, v, k) => acc + (k === axis ? j : v) * s[k], 0);
    })];
  },
  Concat: (ctx) => [concat(ctx, ctx.inputs.filter((t): t is HostTensor => t !== null), intAttr(ctx, 'axis', 0))],
  Split: (ctx) => {
    const x = input(ctx, 0);
    const axis = normAxis(ctx.where, intAttr(ctx, 'axis', 0), x.dims.length);
    const n = ctx.attributes.get('__outputs') as number;
    const given = ctx.opset >= 13 ? (ctx.inputs[1] ? intList(ctx.where, 'split', ctx.inputs[1]) : undefined) : intsAttr(ctx, 'split');
    const d = x.dims[axis];
    // Without sizes: chunks of ceil(d / n), the last one smaller; onnxruntime refuses an empty last chunk (4 into 3), and so does this.
    const chunk = Math.ceil(d / n);
    if (!given && n > 1 && d > 0 && d - (n - 1) * chunk <= 0) throw invalidArgument(`${ctx.where}: axis ${axis} of size ${d} does not split into ${n} outputs of ${chunk} (the last would be empty)`);
    const parts = given ?? Array.from({ length: n }, (_, k) => Math.min(chunk, d - k * chunk));
    if (parts.some((p) => p < 0) || parts.reduce((a, b) => a + b, 0) !== d) throw invalidShape(`${ctx.where}: split ${JSON.stringify(parts)} must be non-negative sizes that sum to ${d}`);
    let at = 0;
    return parts.map((p) => {
      const part = slice(ctx, x, [at], [at + p], [axis], undefined);
      at += p;
      return part;
    });
  },
  Expand: (ctx) => {
    const x = input(ctx, 0);
    const dims = broadcastDims(ctx.where, [x.dims, intList(ctx.where, 'shape', input(ctx, 1))]);
    const out = allocate(ctx.where, dims, x.int, ctx.maxBytes);
    forEachIndex(dims, [broadcastStrides(x.dims, dims)], (k, o) => (out.data[k] = x.data[o[0]]));
    return [out];
  },
  Tile: (ctx) => {
    const x = input(ctx, 0);
    const reps = intList(ctx.where, 'repeats', input(ctx, 1));
    if (reps.length !== x.dims.length || reps.some((r) => r < 0)) throw invalidArgument(`${ctx.where}: repeats ${JSON.stringify(reps)} must be ${x.dims.length} non-negative integers`);
    const s = stridesOf(x.dims);
    return [gatherBy(ctx, x, x.dims.map((d, k) => d * reps[k]), (i) => i.reduce((acc, v, k) => acc + (v % x.dims[k]) * s[k], 0))];
  },
  Range: (ctx) => {
    const [start, limit, delta] = [0, 1, 2].map((k) => input(ctx, k).data[0]);
    const n = Math.max(Math.ceil((limit - start) / delta), 0);
    if (!Number.isFinite(n)) throw invalidArgument(`${ctx.where}: Range(${start}, ${limit}, ${delta}) has no finite length`);
    const out = allocate(ctx.where, [n], input(ctx, 0).int, ctx.maxBytes);
    for (let k = 0; k < n; k++) out.data[k] = start + k * delta;
    return [out];
  },
  ConstantOfShape: (ctx) => {
    const dims = intList(ctx.where, 'input', input(ctx, 0));
    const value = ctx.attributes.get('__value') as HostTensor | undefined;
    const out = allocate(ctx.where, dims, value?.int ?? false, ctx.maxBytes);
    out.data.fill(value?.data[0] ?? 0);
    return [out];
  },
};

export { shapeOf, transpose };

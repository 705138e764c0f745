import { formatShape } from '../../core/describe.js';
import { invalidArgument, limitExceeded } from '../../core/errors.js';
import { checkBudget } from '../../formats/budget.js';

/**
 * A value of the ONNX graph on the host: dims and data, float64 where the host computed it; a
 * float32 feed or a float32 backend's LSTM output is kept as float32 (its values are the same
 * numbers; every op reads them as numbers and writes float64). `int` marks ONNX's integer and bool
 * types (their values are exact integers below 2^53), so Div truncates and outputs keep their dtype.
 */
export interface HostTensor {
  readonly dims: readonly number[];
  readonly data: Float64Array | Float32Array;
  readonly int: boolean;
}

export function sizeOf(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Checks that a tensor of `dims` may be made: non-negative integer dims, within the budget. */
export function checkAllocation(where: string, dims: readonly number[], maxBytes: number): void {
  for (const d of dims) if (!Number.isSafeInteger(d) || d < 0) throw invalidArgument(`${where}: output dims ${formatShape([...dims])} are not non-negative integers`);
  checkBudget(`${where}: its output ${formatShape([...dims])}`, sizeOf(dims), maxBytes);
}

/** A new tensor of `dims`, its size checked against the budget before it is allocated. */
export function allocate(where: string, dims: readonly number[], int: boolean, maxBytes: number): HostTensor {
  checkAllocation(where, dims, maxBytes);
  const n = sizeOf(dims);
  // Without a budget (maxBytes = Infinity) the engine's own limit is the last one: a typed error too.
  let data: Float64Array;
  try {
    data = new Float64Array(n);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw limitExceeded(`${where}: its output ${formatShape([...dims])} (${n} values as float64) cannot be allocated: ${error.message}`);
  }
  return { dims: [...dims], data, int };
}

export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let k = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    s[i] = k;
    k *= dims[i];
  }
  return s;
}

/** An axis attribute in [-rank, rank) as [0, rank); INVALID_ARGUMENT naming the node otherwise. */
export function normAxis(where: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) throw invalidArgument(`${where}: axis ${axis} is outside [-${rank}, ${rank}) for a rank-${rank} input`);
  return axis < 0 ? axis + rank : axis;
}

/** ONNX's multidirectional (NumPy) broadcast of several shapes. */
export function broadcastDims(where: string, shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const k = rank - s.length + i;
      const d = s[i];
      if (d === out[k] || d === 1) continue;
      if (out[k] === 1) out[k] = d;
      else throw invalidArgument(`${where}: shapes ${shapes.map((x) => formatShape([...x])).join(' and ')} do not broadcast`);
    }
  }
  return out;
}

/** Strides of `dims` read as broadcast to `outDims` (0 on broadcast axes). */
export function broadcastStrides(dims: readonly number[], outDims: readonly number[]): number[] {
  const s = stridesOf(dims);
  return outDims.map((_, k) => {
    const i = k - (outDims.length - dims.length);
    return i < 0 || dims[i] === 1 ? 0 : s[i];
  });
}

/** Calls f(outIndex, offsets[]) for every element of outDims, offsets into each input by its strides. */
export function forEachIndex(outDims: readonly number[], strides: readonly (readonly number[])[], f: (k: number, offsets: number[]) => void): void {
  const rank = outDims.length;
  const n = sizeOf(outDims);
  const index = new Array<number>(rank).fill(0);
  const offsets = strides.map(() => 0);
  for (let k = 0; k < n; k++) {
    f(k, offsets);
    for (let ax = rank - 1; ax >= 0; ax--) {
      index[ax]++;
      for (let j = 0; j < strides.length; j++) offsets[j] += strides[j][ax];
      if (index[ax] < outDims[ax]) break;
      for (let j = 0; j < strides.length; j++) offsets[j] -= strides[j][ax] * outDims[ax];
      index[ax] = 0;
    }
  }
}

/** A 1-D integer tensor (shapes, axes, indices inputs) as numbers. */
export function intList(where: string, what: string, t: HostTensor | null | undefined): number[] {
  if (!t) throw invalidArgument(`${where}: ${what} is required`);
  if (t.dims.length > 1) throw invalidArgument(`${where}: ${what} must be 1-D, got dims ${formatShape([...t.dims])}`);
  return Array.from(t.data, (v) => {
    if (!Number.isFinite(v)) throw invalidArgument(`${where}: ${what} holds ${v}, expected integers`);
    return Math.trunc(v);
  });
}

export function scalar(data: number, int: boolean): HostTensor {
  return { dims: [], data: Float64Array.of(data), int };
}

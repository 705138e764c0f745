import { formatShape } from '../../core/describe.js';
import { invalidArgument } from '../../core/errors.js';
import { allocate, broadcastDims, broadcastStrides, forEachIndex, type HostTensor } from './host-tensor.js';
import { input, intAttr, type HostOp, type OpContext } from './op-context.js';

function floatAttr(ctx: OpContext, name: string, fallback: number): number {
  const v = ctx.attributes.get(name);
  return typeof v === 'number' ? v : fallback;
}

/** Elementwise over broadcast inputs (ONNX multidirectional broadcasting). */
export function broadcastMap(ctx: OpContext, tensors: readonly HostTensor[], int: boolean, f: (...v: number[]) => number): HostTensor {
  const dims = broadcastDims(ctx.where, tensors.map((t) => t.dims));
  const out = allocate(ctx.where, dims, int, ctx.maxBytes);
  const strides = tensors.map((t) => broadcastStrides(t.dims, dims));
  const data = tensors.map((t) => t.data);
  if (tensors.length === 2) {
    const [a, b] = data;
    forEachIndex(dims, strides, (k, o) => (out.data[k] = f(a[o[0]], b[o[1]])));
  } else forEachIndex(dims, strides, (k, o) => (out.data[k] = f(...o.map((off, j) => data[j][off]))));
  return out;
}

/**
 * Before opset 7, arithmetic broadcast B into A only with broadcast=1, aligned at `axis`
 * (default: trailing, which is NumPy's alignment). Any other axis is refused, not computed as NumPy.
 */
function checkLegacyAxis(ctx: OpContext, a: HostTensor, b: HostTensor): void {
  const axis = ctx.opset < 7 ? ctx.attributes.get('axis') : undefined;
  if (typeof axis !== 'number') return;
  const trailing = a.dims.length - b.dims.length;
  const at = axis < 0 ? axis + a.dims.length : axis;
  if (at !== trailing) throw invalidArgument(`${ctx.where}: axis ${axis} (opset ${ctx.opset}'s broadcast) aligns B ${formatShape([...b.dims])} at axis ${at} of A ${formatShape([...a.dims])}; only the trailing alignment (axis ${trailing}) is supported`);
}

function binary(f: (a: number, b: number, int: boolean) => number, boolOut = false): HostOp {
  return (ctx) => {
    const a = input(ctx, 0);
    const b = input(ctx, 1);
    checkLegacyAxis(ctx, a, b);
    const int = a.int && b.int;
    return [broadcastMap(ctx, [a, b], boolOut || int, (x, y) => f(x, y, int))];
  };
}

function unary(f: (x: number, ctx: OpContext) => number, keepInt = false): HostOp {
  return (ctx) => {
    const x = input(ctx, 0);
    const out = allocate(ctx.where, x.dims, keepInt && x.int, ctx.maxBytes);
    for (let k = 0; k < x.data.length; k++) out.data[k] = f(x.data[k], ctx);
    return [out];
  };
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Variadic Min, Max, Sum, Mean. */
function variadic(f: (a: number, b: number) => number): HostOp {
  return (ctx) => {
    const xs = ctx.inputs.filter((t): t is HostTensor => t !== null);
    if (xs.length === 0) throw invalidArgument(`${ctx.where}: needs at least one input, got none`);
    const int = xs.every((t) => t.int);
    // Not v.reduce(f): reduce passes (acc, value, index, array), and Math.min/max would read all four.
    return [broadcastMap(ctx, xs, int, (...v) => v.reduce((a, b) => f(a, b)))];
  };
}

export const kElementwiseOps: Record<string, HostOp> = {
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  Div: binary((a, b, int) => (int ? Math.trunc(a / b) : a / b)),
  // Pow's output has the base's type (ONNX's T): an integer base truncates a fractional power, as onnxruntime's static_cast does.
  Pow: (ctx) => {
    const [a, b] = [input(ctx, 0), input(ctx, 1)];
    checkLegacyAxis(ctx, a, b);
    return [broadcastMap(ctx, [a, b], a.int, a.int ? (x, y) => Math.trunc(x ** y) : (x, y) => x ** y)];
  },
  Equal: binary((a, b) => +(a === b), true),
  Less: binary((a, b) => +(a < b), true),
  Greater: binary((a, b) => +(a > b), true),
  LessOrEqual: binary((a, b) => +(a <= b), true),
  GreaterOrEqual: binary((a, b) => +(a >= b), true),
  And: binary((a, b) => +(a !== 0 && b !== 0), true),
  Or: binary((a, b) => +(a !== 0 || b !== 0), true),
  Min: variadic(Math.min),
  Max: variadic(Math.max),
  Sum: variadic((a, b) => a + b),
  Where: (ctx) => {
    const [c, a, b] = [input(ctx, 0), input(ctx, 1), input(ctx, 2)];
    return [broadcastMap(ctx, [c, a, b], a.int && b.int, (cv, av, bv) => (cv !== 0 ? av : bv))];
  },
  Not: unary((x) => +(x === 0), true),
  Neg: unary((x) => -x, true),
  Abs: unary(Math.abs, true),
  Exp: unary(Math.exp),
  Log: unary(Math.log),
  Sqrt: unary(Math.sqrt),
  Reciprocal: unary((x) => 1 / x),
  Floor: unary(Math.floor, true),
  Ceil: unary(Math.ceil, true),
  Relu: unary((x) => Math.max(x, 0), true),
  Sigmoid: unary(sigmoid),
  Tanh: unary(Math.tanh),
  Softplus: unary((x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)))),
  Softsign: unary((x) => x / (1 + Math.abs(x))),
  Erf: unary(erf),
  LeakyRelu: unary((x, ctx) => (x >= 0 ? x : floatAttr(ctx, 'alpha', Math.fround(0.01)) * x)),
  Elu: unary((x, ctx) => (x >= 0 ? x : floatAttr(ctx, 'alpha', 1) * Math.expm1(x))),
  Selu: unary((x, ctx) => floatAttr(ctx, 'gamma', Math.fround(1.0507009873554805)) * (x > 0 ? x : floatAttr(ctx, 'alpha', Math.fround(1.6732632423543772)) * Math.expm1(x))),
  HardSigmoid: unary((x, ctx) => Math.min(1, Math.max(0, floatAttr(ctx, 'alpha', Math.fround(0.2)) * x + floatAttr(ctx, 'beta', 0.5)))),
  Identity: (ctx) => [input(ctx, 0)],
  /** Dropout at inference is the identity (its mask output, when asked for, is all ones). */
  Dropout: (ctx) => {
    const x = input(ctx, 0);
    const mask = allocate(ctx.where, x.dims, true, ctx.maxBytes);
    mask.data.fill(1);
    return [x, mask];
  },
  Clip: (ctx) => {
    const x = input(ctx, 0);
    // Opset < 11: min/max attributes; 11+: optional inputs.
    const lo = ctx.inputs[1]?.data[0] ?? floatAttr(ctx, 'min', -Infinity);
    const hi = ctx.inputs[2]?.data[0] ?? floatAttr(ctx, 'max', Infinity);
    const out = allocate(ctx.where, x.dims, x.int, ctx.maxBytes);
    for (let k = 0; k < x.data.length; k++) out.data[k] = Math.min(hi, Math.max(lo, x.data[k]));
    return [out];
  },
  Cast: (ctx) => {
    const x = input(ctx, 0);
    const to = intAttr(ctx, 'to', 1);
    const int = [2, 3, 4, 5, 6, 7, 9, 12, 13].includes(to); // (u)int8..64 and bool
    const out = allocate(ctx.where, x.dims, int, ctx.maxBytes);
    for (let k = 0; k < x.data.length; k++) {
      const v = x.data[k];
      out.data[k] = to === 9 ? +(v !== 0) : int ? Math.trunc(v) : to === 1 ? Math.fround(v) : v;
    }
    return [out];
  },
};

/** Abramowitz–Stegun 7.1.26 is too coarse for a judge; this is the series/continued fraction (|err| < 1e-15). */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let sum = ax;
    let term = ax;
    for (let n = 1; n < 80; n++) {
      term *= (-ax * ax) / n;
      sum += term / (2 * n + 1);
      if (Math.abs(term) < 1e-17) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc by a continued fraction for large |x|.
  let f = 0;
  for (let n = 60; n >= 1; n--) f = (n / 2) / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return Math.sign(x) * (1 - erfc);
}

// The activations of the LSTM cell, four lanes at a time (PyTorch's σ and tanh), and ONNX's whole
// list one float at a time for the variant cells (src/model/variants.ts has their definitions).
//
// exp is Cephes' expf: x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial (≤ 1 ulp), 2^n
// put in the exponent bits. Its argument is clamped to [−87, 88] so e^x is a normal float and never
// infinite, which keeps σ and tanh finite for every finite input: σ(x) = 1/(1 + e^(−x)) and
// tanh(x) = 1 − 2/(1 + e^(2x)) then only divide by numbers ≥ 1. wasm's f32x4.min/max propagate NaN,
// so NaN in gives NaN out, as on the reference.

const kLog2e: f32 = 1.44269504088896341;
const kLn2Hi: f32 = 0.693359375;
const kLn2Lo: f32 = -2.12194440e-4;

/** e^x lane by lane (≤ 2 ulp for x in [−87, 88]; clamped outside). */
@inline
export function exp4(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(kLog2e)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(kLn2Hi))), f32x4.mul(n, f32x4.splat(kLn2Lo)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** σ(x) = 1 / (1 + e^(−x)). */
@inline
export function sigmoid4(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), exp4(f32x4.neg(x))));
}

/** tanh(x) = 1 − 2 / (1 + e^(2x)): ±1 at the ends, within 1.2e-7 of tanh near 0. */
@inline
export function tanh4(x: v128): v128 {
  const e = exp4(f32x4.add(x, x));
  return f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(f32x4.splat(1), e)));
}

// ONNX's activation kinds, numbered as src/wasm/cell-block.ts numbers them.
export const ACT_SIGMOID = 0;
export const ACT_HARD_SIGMOID = 1;
export const ACT_TANH = 2;
export const ACT_RELU = 3;
export const ACT_AFFINE = 4;
export const ACT_SOFTSIGN = 5;
export const ACT_SOFTPLUS = 6;
export const ACT_ELU = 7;
export const ACT_LEAKY_RELU = 8;
export const ACT_THRESHOLDED_RELU = 9;
export const ACT_SCALED_TANH = 10;

/** One of ONNX's RNN activations of x, with its α and β (float32 forms of src/cpu/activations.ts). */
export function activate(kind: i32, alpha: f32, beta: f32, x: f32): f32 {
  switch (kind) {
    case ACT_SIGMOID:
      return x >= 0 ? 1 / (1 + Mathf.exp(-x)) : Mathf.exp(x) / (1 + Mathf.exp(x));
    case ACT_HARD_SIGMOID:
      return Mathf.min(Mathf.max(alpha * x + beta, 0), 1);
    case ACT_TANH:
      return Mathf.tanh(x);
    case ACT_RELU:
      return Mathf.max(x, 0); // f32.max keeps NaN
    case ACT_AFFINE:
      return alpha * x + beta;
    case ACT_SOFTSIGN:
      return x / (1 + Mathf.abs(x));
    case ACT_SOFTPLUS:
      return x > 0 ? x + Mathf.log1p(Mathf.exp(-x)) : Mathf.log1p(Mathf.exp(x));
    case ACT_ELU:
      return x >= 0 ? x : alpha * Mathf.expm1(x);
    case ACT_LEAKY_RELU:
      return x >= 0 ? x : alpha * x;
    case ACT_THRESHOLDED_RELU:
      return x <= alpha ? 0 : x;
    default: // ACT_SCALED_TANH
      return alpha * Mathf.tanh(beta * x);
  }
}

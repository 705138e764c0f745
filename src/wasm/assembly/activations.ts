// The activations of the LSTM cell, four lanes at a time (PyTorch's σ and tanh), and ONNX's whole
// list one float at a time for the variant cells (src/model/variants.ts has their definitions).
//
// exp is Cephes' expf: x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial (≤ 1 ulp), 2^n
// put in the exponent bits. Its argument is clamped to [−87, 88] so e^x is a normal float and never
// infinite, which keeps σ and tanh finite for every finite input: σ(x) = 1/(1 + e^(−x)) and
// tanh(x) = 1 − 2/(1 + e^(2x)) then only divide by numbers ≥ 1. The clamp keeps a NaN, so NaN in
// gives NaN out, as on the reference.

const kLog2e: f32 = 1.44269504088896341;
const kLn2Hi: f32 = 0.693359375;
const kLn2Lo: f32 = -2.12194440e-4;
// x·log2(e) + 1.5·2^23 rounds x·log2(e) to the nearest integer n (ties to even, as f32x4.nearest)
// in the low mantissa bits, so n as a float is that sum minus 1.5·2^23, and the biased exponent
// n + 127 is the sum's bits minus (0x4b400000 − 127): no float-to-int conversion, which V8 on x64
// expands into a saturating sequence several instructions long.
const kRoundShift: f32 = 12582912.0;
const kExponentOffset: i32 = 0x4b400000 - 127;

// The activations' constants, one f32x4 each, read from the module's static data: V8 rebuilds a
// v128 constant from immediates at every use (x64 has no constant pool for it) and hoists nothing
// out of loops, which made exp4 1.9× slower than with these loads (7.7 against 4.1 ns a vector).
const kConstants = memory.data<f32>([
  -87.0, -87.0, -87.0, -87.0,
  88.0, 88.0, 88.0, 88.0,
  kLog2e, kLog2e, kLog2e, kLog2e,
  kRoundShift, kRoundShift, kRoundShift, kRoundShift,
  kLn2Hi, kLn2Hi, kLn2Hi, kLn2Hi,
  kLn2Lo, kLn2Lo, kLn2Lo, kLn2Lo,
  1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4,
  1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3,
  8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3,
  4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2,
  1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1,
  5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1,
  1.0, 1.0, 1.0, 1.0,
  2.0, 2.0, 2.0, 2.0,
], 16);
const kExponentOffsets = memory.data<i32>([kExponentOffset, kExponentOffset, kExponentOffset, kExponentOffset], 16);
const MIN_X = 0, MAX_X = 1, LOG2E = 2, ROUND_SHIFT = 3, LN2_HI = 4, LN2_LO = 5, P0 = 6, ONE = 12, TWO = 13;

/** Constant number `index` of kConstants, in all four lanes. */
@inline
function constant(index: i32): v128 {
  return v128.load(kConstants + (<usize>index << 4));
}

/** e^x lane by lane (≤ 2 ulp for x in [−87, 88]; clamped outside). */
@inline
export function exp4(x: v128): v128 {
  // pmax/pmin (one instruction each; f32x4.max/min are several) keep x when x is NaN.
  x = f32x4.pmin(f32x4.pmax(x, constant(MIN_X)), constant(MAX_X));
  const shifted = f32x4.add(f32x4.mul(x, constant(LOG2E)), constant(ROUND_SHIFT));
  const n = f32x4.sub(shifted, constant(ROUND_SHIFT));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, constant(LN2_HI))), f32x4.mul(n, constant(LN2_LO)));
  // Horner's steps written out: as a loop neither the compiler nor V8 unrolled it, and each step
  // paid a counter, an address and a loop check (V8's x64 code) around its two vector operations.
  let p = f32x4.add(f32x4.mul(constant(P0), r), constant(P0 + 1));
  p = f32x4.add(f32x4.mul(p, r), constant(P0 + 2));
  p = f32x4.add(f32x4.mul(p, r), constant(P0 + 3));
  p = f32x4.add(f32x4.mul(p, r), constant(P0 + 4));
  p = f32x4.add(f32x4.mul(p, r), constant(P0 + 5));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), constant(ONE));
  const scale = i32x4.shl(i32x4.sub(shifted, v128.load(kExponentOffsets)), 23);
  return f32x4.mul(p, scale);
}

/** σ(x) = 1 / (1 + e^(−x)). */
@inline
export function sigmoid4(x: v128): v128 {
  const one = constant(ONE);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(x))));
}

/** tanh(x) = 1 − 2 / (1 + e^(2x)): ±1 at the ends, within 1.2e-7 of tanh near 0. */
@inline
export function tanh4(x: v128): v128 {
  const one = constant(ONE);
  const e = exp4(f32x4.add(x, x));
  return f32x4.sub(one, f32x4.div(constant(TWO), f32x4.add(one, e)));
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

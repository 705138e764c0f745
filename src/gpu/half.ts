/**
 * float32 values as IEEE 754 binary16 bit patterns, rounded to nearest, ties to even (as WGSL's
 * f16 conversion and NumPy's astype(float16) round); overflow gives ±Infinity, NaN stays NaN.
 * For the opt-in float16 weight storage (RunnerOptions.weights), which needs `shader-f16`.
 */
export function toFloat16Bits(values: Float32Array): Uint16Array<ArrayBuffer> {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = bits[i];
    const sign = (x >>> 16) & 0x8000;
    const exponent = (x >>> 23) & 0xff;
    const mantissa = x & 0x7fffff;
    if (exponent === 0xff) {
      out[i] = sign | 0x7c00 | (mantissa ? 0x200 : 0);
      continue;
    }
    const e = exponent - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
      continue;
    }
    if (e <= 0) {
      // Subnormal in f16 (or zero): shift the full significand, rounding half to even.
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      const significand = mantissa | 0x800000;
      const shift = 14 - e;
      const half = significand >>> shift;
      const rest = significand & ((1 << shift) - 1);
      const midpoint = 1 << (shift - 1);
      out[i] = sign | (half + (rest > midpoint || (rest === midpoint && half & 1) ? 1 : 0));
      continue;
    }
    const half = (e << 10) | (mantissa >>> 13);
    const rest = mantissa & 0x1fff;
    // A carry out of the mantissa rolls into the exponent (and up to Infinity), as it should.
    out[i] = sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
  }
  return out;
}

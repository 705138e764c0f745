// Converting outputs to the library's layout, time-major [T, B, W], and measuring disagreement.
// Used only to check results, never inside a timed run.

/** [B, T, W] → [T, B, W]. @param {ArrayLike<number>} data @param {number} B @param {number} T @param {number} W */
export function batchMajorToTimeMajor(data, B, T, W) {
  const out = new Float32Array(B * T * W);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let w = 0; w < W; w++) out[(t * B + b) * W + w] = data[(b * T + t) * W + w];
  return out;
}

/** [T, B, W] → [B, T, W] (the input TensorFlow.js takes). @param {Float32Array} data @param {number} T @param {number} B @param {number} W */
export function timeMajorToBatchMajor(data, T, B, W) {
  return batchMajorToTimeMajor(data, T, B, W);
}

/** ONNX's Y [T, D, B, H] → [T, B, D·H]. @param {ArrayLike<number>} y @param {number} T @param {number} D @param {number} B @param {number} H */
export function onnxToTimeMajor(y, T, D, B, H) {
  const out = new Float32Array(T * B * D * H);
  for (let t = 0; t < T; t++)
    for (let d = 0; d < D; d++)
      for (let b = 0; b < B; b++)
        for (let h = 0; h < H; h++) out[((t * B + b) * D + d) * H + h] = y[((t * D + d) * B + b) * H + h];
  return out;
}

/** Largest |a − b|; NaN or a length mismatch gives Infinity. @param {ArrayLike<number>} a @param {ArrayLike<number>} b */
export function maxAbsDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= max)) max = Number.isNaN(d) ? Infinity : d;
  }
  return max;
}

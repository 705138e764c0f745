import type { FloatArray } from './tensor.js';

/** A forward call's inputs after validation, in the kernels' time-major layout. */
export interface PreparedInput {
  readonly steps: number;
  readonly batch: number;
  /**
   * [T, B, I], time-major whatever the caller's layout: a float64 copy, or the caller's own float
   * array where the backend reads it at once (InputHandling.borrowX in src/api/forward-input.ts).
   */
  readonly x: FloatArray;
  readonly h0: Float64Array | null;
  readonly c0: Float64Array | null;
  readonly lengths: Int32Array | null;
  readonly trace: boolean;
}

/** Swaps the first two axes of a [A, C, W] array: [B, T, W] ↔ [T, B, W]. */
export function swapLeadingAxes<A extends Float32Array | Float64Array>(data: A, a: number, c: number, width: number): A {
  const out = new (data.constructor as { new (n: number): A })(data.length);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < c; j++) {
      out.set(data.subarray((i * c + j) * width, (i * c + j + 1) * width), (j * a + i) * width);
    }
  }
  return out;
}

import { at } from './simd';
import { shareBegin, shareEnd } from './threads';

// Data movement the products need: transposes (the weight gradients pair dzᵀ with x and h_{t−1})
// and fills.

/**
 * dst[c][r] = src[r][c] for r < rows, c < cols (src rows lds floats apart, dst rows ldd).
 * Threads share blocks of kBlock source rows; a block's rows stay in L1 while its columns are written.
 */
export function transpose(rows: i32, cols: i32, src: usize, lds: i32, dst: usize, ldd: i32, ctx: usize): void {
  const kBlock = 64;
  const blocks = (rows + kBlock - 1) / kBlock;
  const end = shareEnd(blocks, ctx);
  for (let block = shareBegin(blocks, ctx); block < end; block++) {
    const r0 = block * kBlock;
    const r1 = min(rows, r0 + kBlock);
    for (let c = 0; c < cols; c++) {
      const out = at(dst, c * ldd);
      for (let r = r0; r < r1; r++) store<f32>(at(out, r), load<f32>(at(src, r * lds + c)));
    }
  }
}

/** dst[0 … n) = value, threads sharing the range. */
export function fill(dst: usize, n: i32, value: f32, ctx: usize): void {
  const end = shareEnd(n, ctx);
  for (let i = shareBegin(n, ctx); i < end; i++) store<f32>(at(dst, i), value);
}

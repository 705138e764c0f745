import { at, storeLanes } from './simd';
import { partOf, partsOf, scratchOf } from './threads';
import { tile1x16, tile2x16 } from './tile';

// The general product, on the same register tile as the recurrence:
//
//   C[M, N] = (C if GEMM_ACCUMULATE) + A[M, K] · B[K, N] + bias[N]
//
// A is row-major (rows lda floats apart). B is read as 16-column panels: panel p starts at
// b + p·bPanel bytes and its rows are ldb bytes apart, so one kernel reads packed weights
// (bPanel = K·64, ldb = 64) and plain row-major matrices (bPanel = 64, ldb = N·4) alike. B must be
// readable 16 columns wide in its last panel (packed weights are zero-padded; the host leaves slack
// after row-major ones); only the N real columns of C are written.
//
// Blocking: K in runs of kKc (one run of a 16-column panel is 16 KiB: it stays in L1 while every
// row pair of the run passes over it), and the rows of A in blocks of kMc (kMc·kKc floats: 128 KiB,
// in L2 while every panel passes over it). The bias is added after the last run of K, so a
// single-run product sums as the reference does: products first, then the bias.
//
// Threads share the row pairs (GEMM_SPLIT_COLUMNS: the panels instead).

export const GEMM_ACCUMULATE: i32 = 1;
export const GEMM_SPLIT_COLUMNS: i32 = 2;

const kKc = 256;
const kMc = 128;

export function gemm(
  M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, bPanel: i32,
  c: usize, ldc: i32, bias: usize, flags: i32, ctx: usize,
): void {
  const panels = (N + 15) >> 4;
  const pairs = (M + 1) >> 1;
  const part = partOf(ctx);
  const parts = partsOf(ctx);
  const byColumns = (flags & GEMM_SPLIT_COLUMNS) != 0;
  const pBegin = byColumns ? <i32>((<i64>panels * part) / parts) : 0;
  const pEnd = byColumns ? <i32>((<i64>panels * (part + 1)) / parts) : panels;
  const rBegin = byColumns ? 0 : 2 * <i32>((<i64>pairs * part) / parts);
  const rEnd = byColumns ? M : min(M, 2 * <i32>((<i64>pairs * (part + 1)) / parts));
  const accumulate = (flags & GEMM_ACCUMULATE) != 0;
  const scratch = scratchOf(ctx);
  for (let k0 = 0; k0 < K; k0 += kKc) {
    const kc = min(kKc, K - k0);
    const addOld = accumulate || k0 > 0;
    const biasNow = k0 + kc == K ? bias : 0;
    for (let m0 = rBegin; m0 < rEnd; m0 += kMc) {
      const m1 = min(m0 + kMc, rEnd);
      for (let p = pBegin; p < pEnd; p++) {
        const panel = b + <usize>p * <usize>bPanel + <usize>k0 * <usize>ldb;
        const n = p << 4;
        for (let r = m0; r < m1; r += 2) {
          const a0 = at(a, r * lda + k0);
          const pair = r + 1 < m1;
          if (pair) tile2x16(a0, at(a0, lda), panel, ldb, kc, scratch);
          else tile1x16(a0, panel, ldb, kc, scratch);
          writeRow(at(c, r * ldc + n), scratch, N - n, addOld, biasNow ? at(biasNow, n) : 0);
          if (pair) writeRow(at(c, (r + 1) * ldc + n), scratch + 64, N - n, addOld, biasNow ? at(biasNow, n) : 0);
        }
      }
    }
  }
}

/** One row of a tile into C: the first `columns` (≤ 16) of acc, plus C's old values and the bias where asked. */
@inline
function writeRow(row: usize, acc: usize, columns: i32, addOld: bool, bias: usize): void {
  for (let v = 0; v < 4 && v * 4 < columns; v++) {
    const offset = <usize>v << 4;
    let value = v128.load(acc + offset);
    if (addOld) value = f32x4.add(v128.load(row + offset), value);
    if (bias) value = f32x4.add(value, v128.load(bias + offset));
    storeLanes(row + offset, value, columns - v * 4);
  }
}

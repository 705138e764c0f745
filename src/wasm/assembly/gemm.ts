import { at, storeLanes } from './simd';
import { scratchOf, takeWork } from './threads';
import { tile1x16, tile1x32, tile2x16 } from './tile';

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
// Blocking: the rows of A in blocks of kMc, dealt out to the call's threads first come, first
// served (takeWork: a descheduled thread then does fewer blocks instead of holding the call up),
// and K in runs of kKc within a block (one run of a 16-column panel is 16 KiB: it stays in L1 while
// the block's row pairs pass over it; the block's kMc·kKc floats, 32 KiB, stay in L2 while every
// panel passes over them). The bias is added after the last run of K, so a single-run product sums
// as the reference does: products first, then the bias.

export const GEMM_ACCUMULATE: i32 = 1;

const kKc = 256;
const kMc = 32;

export function gemm(
  M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, bPanel: i32,
  c: usize, ldc: i32, bias: usize, flags: i32, ctx: usize,
): void {
  const panels = (N + 15) >> 4;
  const blocks = (M + kMc - 1) / kMc;
  for (let block = takeWork(ctx, -1); block < blocks; block = takeWork(ctx, block)) {
    const m0 = block * kMc;
    rowBlock(m0, min(m0 + kMc, M), 0, panels, N, K, a, lda, b, ldb, bPanel, c, ldc, bias, flags, scratchOf(ctx));
  }
}

/** Rows m0 … m1 − 1 of C, panels pBegin … pEnd − 1, over all of K. */
@inline
function rowBlock(
  m0: i32, m1: i32, pBegin: i32, pEnd: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, bPanel: i32,
  c: usize, ldc: i32, bias: usize, flags: i32, scratch: usize,
): void {
  const accumulate = (flags & GEMM_ACCUMULATE) != 0;
  for (let k0 = 0; k0 < K; k0 += kKc) {
    const kc = min(kKc, K - k0);
    const addOld = accumulate || k0 > 0;
    const biasNow = k0 + kc == K ? bias : 0;
    for (let p = pBegin; p < pEnd; p++) {
      const panel = b + <usize>p * <usize>bPanel + <usize>k0 * <usize>ldb;
      const n = p << 4;
      if (m1 - m0 == 1 && p + 1 < pEnd) {
        // A single row takes two panels at once (eight independent accumulators).
        tile1x32(at(a, m0 * lda + k0), panel, panel + <usize>bPanel, ldb, kc, scratch);
        writeRow(at(c, m0 * ldc + n), scratch, N - n, addOld, biasNow ? at(biasNow, n) : 0);
        writeRow(at(c, m0 * ldc + n + 16), scratch + 64, N - n - 16, addOld, biasNow ? at(biasNow, n + 16) : 0);
        p++;
        continue;
      }
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

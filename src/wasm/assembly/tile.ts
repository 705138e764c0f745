import { madd } from './simd';

// The register tile every product in the engine runs on (XNNPACK's "loadsplat" form):
//
//   acc[r][n] = Σ_k A[r][k] · B[k][n]      for r < 2 (or 1), n < 16, k < K
//
// A's rows are contiguous floats (a0, a1); B is a K × 16 block whose rows are `ldb` bytes apart: a
// 16-column panel of packed weights (ldb = 64) or 16 columns of a row-major matrix (ldb = its row
// bytes). Each k loads four vectors of B and splats one float of each A row, for 8 (or 4) FMAs: 13
// of the 16 vector registers V8 gives wasm on x64, so nothing spills (4 × 16 and 3 × 16 tiles spill
// and ran at half the speed: docs/wasm.md). The 8 accumulators go to `out` (row 0's 16 floats, then
// row 1's), which the caller's epilogue reads from L1.

/** Two rows of A times a K × 16 block of B into out[2][16]. */
export function tile2x16(a0: usize, a1: usize, b: usize, ldb: usize, K: i32, out: usize): void {
  let r00 = f32x4.splat(0), r01 = f32x4.splat(0), r02 = f32x4.splat(0), r03 = f32x4.splat(0);
  let r10 = f32x4.splat(0), r11 = f32x4.splat(0), r12 = f32x4.splat(0), r13 = f32x4.splat(0);
  const end = a0 + (<usize>K << 2);
  while (a0 < end) {
    const b0 = v128.load(b), b1 = v128.load(b, 16), b2 = v128.load(b, 32), b3 = v128.load(b, 48);
    const s0 = v128.load32_splat(a0);
    r00 = madd(s0, b0, r00); r01 = madd(s0, b1, r01); r02 = madd(s0, b2, r02); r03 = madd(s0, b3, r03);
    const s1 = v128.load32_splat(a1);
    r10 = madd(s1, b0, r10); r11 = madd(s1, b1, r11); r12 = madd(s1, b2, r12); r13 = madd(s1, b3, r13);
    a0 += 4;
    a1 += 4;
    b += ldb;
  }
  v128.store(out, r00); v128.store(out, r01, 16); v128.store(out, r02, 32); v128.store(out, r03, 48);
  v128.store(out, r10, 64); v128.store(out, r11, 80); v128.store(out, r12, 96); v128.store(out, r13, 112);
}

/**
 * One row of A times a K × 16 block of B into out[0][16]. Each pair of k is summed first,
 * a·B[k] + a'·B[k+1], and only that sum goes into the accumulator: four accumulators then wait on
 * one add per pair instead of two (V8's code for two accumulator sets, eight in all, spilled two of
 * them to the stack at every k and ran the B = 1 recurrence at 0.8 multiply-adds a cycle).
 */
export function tile1x16(a0: usize, b: usize, ldb: usize, K: i32, out: usize): void {
  let r0 = f32x4.splat(0), r1 = f32x4.splat(0), r2 = f32x4.splat(0), r3 = f32x4.splat(0);
  const pairs = a0 + (<usize>(K & ~1) << 2);
  while (a0 < pairs) {
    const s0 = v128.load32_splat(a0);
    const s1 = v128.load32_splat(a0, 4);
    const b1 = b + ldb;
    r0 = f32x4.add(r0, madd(s0, v128.load(b), f32x4.mul(s1, v128.load(b1))));
    r1 = f32x4.add(r1, madd(s0, v128.load(b, 16), f32x4.mul(s1, v128.load(b1, 16))));
    r2 = f32x4.add(r2, madd(s0, v128.load(b, 32), f32x4.mul(s1, v128.load(b1, 32))));
    r3 = f32x4.add(r3, madd(s0, v128.load(b, 48), f32x4.mul(s1, v128.load(b1, 48))));
    a0 += 8;
    b = b1 + ldb;
  }
  if (K & 1) {
    const s0 = v128.load32_splat(a0);
    r0 = madd(s0, v128.load(b), r0); r1 = madd(s0, v128.load(b, 16), r1); r2 = madd(s0, v128.load(b, 32), r2); r3 = madd(s0, v128.load(b, 48), r3);
  }
  v128.store(out, r0); v128.store(out, r1, 16); v128.store(out, r2, 32); v128.store(out, r3, 48);
}

/**
 * One row of A times two K × 16 blocks of B (b0, b1: two panels, `ldb` bytes a row each) into
 * out[2][16], b0's columns first: a single row's product with eight independent accumulators, one
 * FMA each per k (the B = 1 recurrence, which tile1x16 runs on four chains of dependent adds).
 * Keep it called from more than one place (lstmForward and gemm): Binaryen inlines a function with
 * a single caller, and inlined into lstmForward it ran the (1, 100, 32, 128) forward at 0.96 ms
 * against 0.65 ms as a call (Node, p10, 2026-12-08).
 */
export function tile1x32(a0: usize, b0: usize, b1: usize, ldb: usize, K: i32, out: usize): void {
  let r0 = f32x4.splat(0), r1 = f32x4.splat(0), r2 = f32x4.splat(0), r3 = f32x4.splat(0);
  let r4 = f32x4.splat(0), r5 = f32x4.splat(0), r6 = f32x4.splat(0), r7 = f32x4.splat(0);
  const end = a0 + (<usize>K << 2);
  while (a0 < end) {
    const s = v128.load32_splat(a0);
    r0 = madd(s, v128.load(b0), r0); r1 = madd(s, v128.load(b0, 16), r1); r2 = madd(s, v128.load(b0, 32), r2); r3 = madd(s, v128.load(b0, 48), r3);
    r4 = madd(s, v128.load(b1), r4); r5 = madd(s, v128.load(b1, 16), r5); r6 = madd(s, v128.load(b1, 32), r6); r7 = madd(s, v128.load(b1, 48), r7);
    a0 += 4;
    b0 += ldb;
    b1 += ldb;
  }
  v128.store(out, r0); v128.store(out, r1, 16); v128.store(out, r2, 32); v128.store(out, r3, 48);
  v128.store(out, r4, 64); v128.store(out, r5, 80); v128.store(out, r6, 96); v128.store(out, r7, 112);
}

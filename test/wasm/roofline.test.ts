import { describe, expect, it } from 'vitest';
import { measureWasmRoofline } from '../../src/index.js';

// The wasm roofline the bench divides by: a register-only peak and the engine's own GEMM. Its
// figures depend on the machine; what must hold anywhere is that they are measured (positive,
// finite), consistent (no GEMM above the peak of the threads it ran on) and that bad options are
// refused by name.
describe('measureWasmRoofline', () => {
  it.each([1, 2])('measures the FMA peak and the GEMM yardstick on %i thread(s)', async (threads) => {
    const roofline = await measureWasmRoofline({ threads, targetMs: 20, gemmSize: 128, repeats: 2 });
    expect(roofline.threads).toBe(threads);
    expect(roofline.build).toBe(threads === 1 ? 'simd' : 'simdShared');
    expect(roofline.fmaGflopsPerThread).toBeGreaterThan(0.1);
    expect(Number.isFinite(roofline.fmaGflopsPerThread)).toBe(true);
    expect(roofline.fmaGflops).toBeCloseTo(roofline.fmaGflopsPerThread * threads, 9);
    expect(roofline.gemm.size).toBe(128);
    expect(roofline.gemm.gflops).toBeGreaterThan(0.1);
    // A product of memory-resident operands cannot outrun multiply-adds on registers alone (10% for timer noise).
    expect(roofline.gemm.gflops).toBeLessThan(roofline.fmaGflops * 1.1);
  });

  it.each([
    [{ targetMs: 0 }, /targetMs: expected an integer from 1 to 10000, got 0/],
    [{ gemmSize: 8 }, /gemmSize: expected an integer from 16 to 4096, got 8/],
    [{ repeats: 1.5 }, /repeats: expected an integer from 1 to 50, got 1\.5/],
    [{ threads: 0 }, /threads: expected an integer from 1 to 64, got 0/],
  ])('refuses %o by name', async (options, message) => {
    await expect(measureWasmRoofline(options)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) });
  });
});

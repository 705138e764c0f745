import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmEngine } from '../../src/wasm/engine/engine.js';

// The threads of a shared product take its row blocks from one work queue (src/wasm/assembly/
// threads.ts: takeWork), cleared at a plan's start and at every barrier. On two threads, a product
// of several blocks (the last one short) and a second one after a barrier must both come out whole,
// as a float64 product computed here says; a plan with two shared products and no barrier between
// them would skip blocks, so the engine refuses it before any thread starts.
describe('the wasm engine work queue, 2 threads', () => {
  let engine: WasmEngine;
  beforeAll(async () => {
    engine = await WasmEngine.create({ threads: 2 });
  });
  afterAll(() => engine?.dispose());

  // C[M, N] = A[M, K] · B[K, N], B read as row-major 16-column panels (bPanel 64 bytes, ldb N·4).
  const M = 101, N = 16, K = 300; // 4 blocks of 32 rows, the last of 5; K in two runs of ≤ 256
  const product = (a: Float32Array, b: Float32Array) =>
    Float64Array.from({ length: M * N }, (_, i) => {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += a[Math.floor(i / N) * K + k] * b[k * N + (i % N)];
      return sum;
    });

  function operands(seed: number) {
    const a = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i * 0.37 + seed));
    const b = Float32Array.from({ length: K * N }, (_, i) => Math.cos(i * 0.11 + seed));
    const at = engine.heap.alloc((M * K + K * N + M * N) * 4, 'the test operands');
    engine.floats(at, M * K).set(a);
    engine.floats(at + M * K * 4, K * N).set(b);
    return { at, expected: product(a, b), args: [M, N, K, at, K, at + M * K * 4, N * 4, 64, at + (M * K + K * N) * 4, N, 0, 0] };
  }

  it('shares two products split by a barrier, every row written once', () => {
    const first = operands(1);
    const second = operands(2);
    engine.run([{ kernel: 'gemm', args: first.args }, { kernel: 'barrier', args: [] }, { kernel: 'gemm', args: second.args }, { kernel: 'barrier', args: [] }]);
    for (const { at, expected } of [first, second]) {
      const c = engine.floats(at + (M * K + K * N) * 4, M * N);
      let worst = 0;
      c.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected[i]) / (1 + Math.abs(expected[i])))));
      expect(worst).toBeLessThan(1e-5);
      engine.heap.release(at);
    }
  });

  it('refuses two shared products with no barrier between them', () => {
    const { at, args } = operands(3);
    expect(() => engine.run([{ kernel: 'gemm', args }, { kernel: 'gemm', args }, { kernel: 'barrier', args: [] }])).toThrow(
      'wasm engine: two shared calls take from the work queue with no barrier between them (the second is gemm)',
    );
    // The engine is still usable.
    engine.run([{ kernel: 'gemm', args }, { kernel: 'barrier', args: [] }]);
    engine.heap.release(at);
  });
});

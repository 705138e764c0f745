import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { verify } from '../../src/api/verify.js';
import { verify as verifyInNode } from '../../src/node/verify.js';
import { randomCase } from '../support/random-case.js';

// verify() judging the wasm engine against the float64 reference, from both entries: opened by
// prefer 'wasm' or given as a backend, every key compared; and the options it refuses.
describe('verify on the wasm engine', () => {
  const { model, x, options } = randomCase({ inputSize: 3, hiddenSize: 6, numLayers: 2, bidirectional: true, head: { layers: [{ outFeatures: 2 }] }, steps: 5, batch: 3, seed: 12 });

  it("prefer 'wasm' opens the engine, compares output, h_n, c_n and the prediction, and says what it judged", async () => {
    for (const run of [verify, verifyInNode]) {
      const report = await run(model, x, { ...options, prefer: 'wasm', wasm: { threads: 1 } });
      expect(report.passed).toBe(true);
      expect(report.kind).toBe('wasm');
      expect(report.adapter).toBeNull();
      expect(report.reason).toMatch(/^the wasm backend was requested; 1 thread/);
      expect(report.prediction?.failures).toBe(0);
      expect(report.missing).toEqual([]);
    }
  });

  it('judges for real: float32 against float64 fails a zero tolerance', async () => {
    const report = await verify(model, x, { ...options, prefer: 'wasm', tolerance: { atol: 0, rtol: 0 } });
    expect(report.passed).toBe(false);
    expect(report.output.failures).toBeGreaterThan(0);
  });

  it('runs on a wasm backend it is given and leaves it open', async () => {
    const backend = await createBackend({ prefer: 'wasm', threads: 2 });
    try {
      const report = await verify(model, x, { ...options, backend });
      expect(report.passed).toBe(true);
      expect(report.reason).toBe(backend.reason);
      (await backend.load(model)).dispose(); // still open
    } finally {
      backend.dispose();
    }
  });

  it('refuses a cpu backend, another prefer and a misspelt key, naming them', async () => {
    const cpu = await createBackend({ prefer: 'cpu' });
    await expect(verify(model, x, { ...options, backend: cpu })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'options.backend: expected an open WebGPU or wasm backend, got a cpu backend' });
    await expect(verify(model, x, { ...options, prefer: 'cpu' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^options.prefer: expected 'webgpu' or 'wasm' \(the backend judged against the float64 reference\), got .cpu.$/) });
    await expect(verify(model, x, { ...options, lenghts: [5, 5, 5] } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^verify options: unknown key "lenghts" \(did you mean "lengths"\?\)/) });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserSession } from '../../src/node/chromium/browser-session.js';
import { openGpuSession } from '../support/gpu-session.js';

// benchmark() from the browser entry, in a headless Chromium page: WebGPU (the page's adapter), the
// wasm engine (one thread: the test page is not cross-origin isolated, and the engine says so) and
// the reference, each verified against the float64 reference before it is timed.

let session: BrowserSession;

beforeAll(async () => {
  ({ session } = await openGpuSession());
});
afterAll(async () => {
  await session?.close();
});

describe('benchmark() in a page', () => {
  it('verifies then times WebGPU, the wasm engine and the reference, and states the crossover', async () => {
    const result = await session.page.evaluate(async () => {
      const lib = (window as unknown as { webgpuLstm: typeof import('../../src/index.js') }).webgpuLstm;
      const r = await lib.benchmark(null, [{ batch: 1, steps: 4, inputSize: 4, hiddenSize: 8 }, { batch: 4, steps: 4, inputSize: 4, hiddenSize: 8 }], { threads: [1], reps: 2 });
      return JSON.parse(JSON.stringify(r));
    });
    expect(result.engines.map((e: { id: string; available: boolean }) => [e.id, e.available])).toEqual([['webgpu', true], ['wasm-1t', true], ['cpu', true]]);
    for (const row of result.rows) {
      expect(row.status, `${row.id}: ${row.note}`).toBe('ok');
      expect(row.timesMs).toHaveLength(2);
      expect(row.verified.passed).toBe(true);
      expect(row.verified.maxAbs).toBeLessThanOrEqual(1e-5);
    }
    const group = result.crossover.groups[0];
    expect([...group.gpuFasterAt, ...group.cpuFasterAt].sort((a: number, b: number) => a - b)).toEqual([1, 4]);
    expect(result.crossover.summary).toMatch(/^(WebGPU|The wasm engine|The CPU reference|The CPU side \(the wasm engine or the reference, whichever was faster\)|WebGPU is faster from|the wasm engine is faster from|at \(T, I, H\)).* (is )?faster/);
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useKitSession, type KitWindow } from '../support/page-kit.js';

// Finite inputs whose results are not finite must be reported, never pass silently. The
// cancellation case (test/fixtures/make_cancellation.py): W_ih = 2 everywhere and x_t = (a, −a)
// with a near 3e38. float64 cancels the products exactly; float32 overflows 2a to Infinity and
// Infinity − Infinity is NaN, in PyTorch's float32 (float32_nan_count in the fixture) and on the GPU.

const session = useKitSession();
const kDir = resolve(__dirname, '../fixtures/pytorch');
const caseJson = JSON.parse(readFileSync(resolve(kDir, 'cancellation.json'), 'utf8'));
const expected = JSON.parse(readFileSync(resolve(kDir, 'cancellation.expected.json'), 'utf8'));

interface Counts {
  /** stats.nonFiniteOutputs as each backend's result reports it. */
  readonly reported: Record<'webgpu' | 'cpu', number>;
  /** NaN and ±Infinity values in the GPU's output, h_n and c_n, counted here. */
  readonly gpuNonFinite: number;
}

describe('overflow on the GPU is counted in stats.nonFiniteOutputs', () => {
  it.each(['steps', 'sequence'] as const)('the cancellation case on the %s path', async (recurrence) => {
    const counts = await session().page.evaluate(
      async (json: unknown, path: 'steps' | 'sequence'): Promise<Counts> => {
        const { webgpuLstm: lib } = window as unknown as KitWindow;
        const model = lib.modelFromJSON(json);
        const { x, options } = lib.inputFromJSON(json, model.config);
        const reported = { webgpu: -1, cpu: -1 };
        let gpuNonFinite = -1;
        for (const kind of ['webgpu', 'cpu'] as const) {
          const backend = await lib.createBackend({ prefer: kind });
          const runner = await backend.load(model, { recurrence: path });
          const result = await runner.forward(x, options);
          reported[kind] = result.stats.nonFiniteOutputs;
          if (kind === 'webgpu') {
            gpuNonFinite = [result.output, result.hN, result.cN].reduce((n, t) => n + Array.from(t.data).filter((v) => !Number.isFinite(v)).length, 0);
          }
          runner.dispose();
          backend.dispose();
        }
        return { reported, gpuNonFinite };
      },
      caseJson,
      recurrence,
    );
    expect(expected.float32_nan_count, 'PyTorch float32 overflows too').toBeGreaterThan(0);
    expect(counts.gpuNonFinite, 'float32 on the GPU overflows').toBeGreaterThan(0);
    expect(counts.reported.webgpu).toBe(counts.gpuNonFinite);
    expect(counts.reported.cpu, 'float64 does not overflow').toBe(0);
  });
});

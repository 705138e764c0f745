import { describe, expect, it } from 'vitest';
import type { CheckReport, Scenario, ScenarioRunner } from './kit.js';

// Each recurrence path forced at a large hidden size, checked against the float64 reference, in
// both runtimes (test/gpu/large-hidden.test.ts in Chromium, test/dawn/large-hidden.test.ts on
// Dawn). T and B stay small so that the float64 reference and SwiftShader finish in seconds.

export interface LargeHiddenCase {
  readonly hiddenSize: number;
  readonly steps: number;
  readonly batch: number;
  readonly recurrence: 'auto' | 'steps' | 'spread-subgroup' | 'spread-workgroup' | 'sequence';
}

export const runLargeHidden: Scenario<LargeHiddenCase, CheckReport & { kernel: string; reason: string; dispatches: number; submits: number }> = async (kit, spec) => {
  const lib = kit.lib;
  const backend = await kit.webgpu();
  const { hiddenSize: H, steps: T, batch: B } = spec;
  const model = lib.LSTM.random({ inputSize: 5, hiddenSize: H, seed: H + B });
  const runner = await backend.load(model, { recurrence: spec.recurrence });
  try {
    const stateSize = B * H;
    const options = { steps: T, batch: B, h0: kit.wave(stateSize, 1), c0: kit.wave(stateSize, 2), ...(B > 1 ? { lengths: [T, ...new Array(B - 1).fill(Math.max(1, T - 1))] } : {}) };
    const x = kit.wave(T * B * 5, 3);
    const result = await runner.forward(x, options);
    const plan = runner.plan({ batch: B });
    return { ...(await kit.check(model, x, options, result)), kernel: plan.kernel, reason: plan.reason, dispatches: result.stats.dispatches, submits: result.stats.submits };
  } finally {
    runner.dispose();
    backend.dispose();
  }
};

/** Forcing the persistent kernel past H = 256 is refused with the reason; that scenario returns the error. */
export const forceSequence: Scenario<{ hiddenSize: number }, { code: string; message: string }> = async (kit, spec) => {
  const backend = await kit.webgpu();
  try {
    await backend.load(kit.lib.LSTM.random({ inputSize: 2, hiddenSize: spec.hiddenSize, seed: 1 }), { recurrence: 'sequence' });
    return { code: 'none', message: 'loaded' };
  } catch (error) {
    return { code: (error as { code?: string }).code ?? 'unknown', message: (error as Error).message };
  } finally {
    backend.dispose();
  }
};

/**
 * weights: 'float16' — refused with BACKEND_UNAVAILABLE on a device without shader-f16 (SwiftShader);
 * where the device has it (a real GPU, npm run bench:device), it runs and is checked against the
 * float64 reference within 5e-4 (the f16 rounding of the weights adds up to ≈ 1e-4, docs/performance.md).
 */
export const halfWeights: Scenario<Record<string, never>, { hasF16: boolean; code: string; message: string; maxAbs: number }> = async (kit) => {
  const backend = await kit.webgpu();
  const hasF16 = backend.device!.features.has('shader-f16');
  const model = kit.lib.LSTM.random({ inputSize: 5, hiddenSize: 300, seed: 4 });
  try {
    const runner = await backend.load(model, { weights: 'float16' });
    const x = kit.wave(4 * 2 * 5, 1);
    const report = await kit.check(model, x, { steps: 4, batch: 2 }, await runner.forward(x, { steps: 4, batch: 2 }), { atol: 5e-4, rtol: 0 });
    runner.dispose();
    return { hasF16, code: report.passed ? 'ran' : 'mismatch', message: report.worst, maxAbs: report.maxAbs };
  } catch (error) {
    return { hasF16, code: (error as { code?: string }).code ?? 'unknown', message: (error as Error).message, maxAbs: NaN };
  } finally {
    backend.dispose();
  }
};

export function describeLargeHidden(where: string, run: ScenarioRunner): void {
  describe(`large hidden sizes (${where}): every forced recurrence path agrees with the float64 reference`, () => {
    const cases: LargeHiddenCase[] = [
      { hiddenSize: 1024, steps: 3, batch: 2, recurrence: 'spread-subgroup' },
      { hiddenSize: 1024, steps: 3, batch: 2, recurrence: 'spread-workgroup' },
      { hiddenSize: 1024, steps: 3, batch: 2, recurrence: 'steps' },
      { hiddenSize: 1024, steps: 2, batch: 1, recurrence: 'auto' },
      { hiddenSize: 256, steps: 4, batch: 3, recurrence: 'sequence' },
      { hiddenSize: 300, steps: 4, batch: 5, recurrence: 'spread-workgroup' },
      { hiddenSize: 300, steps: 4, batch: 5, recurrence: 'spread-subgroup' },
    ];
    it.each(cases)('H=$hiddenSize T=$steps B=$batch recurrence=$recurrence', async (spec) => {
      const report = await run(runLargeHidden, spec);
      expect(report.passed, `${report.kernel}: ${report.worst}`).toBe(true);
      // One submit whatever the path: all T steps in one command buffer.
      expect(report.submits).toBe(1);
      if (spec.recurrence === 'auto') expect(report.reason).toMatch(/^cost model/);
      else expect(report.reason).toMatch(new RegExp(`^forced by recurrence: '${spec.recurrence}'`));
      if (spec.recurrence.startsWith('spread') || spec.recurrence === 'steps') expect(report.dispatches).toBe(spec.steps + 1);
      if (spec.recurrence === 'spread-subgroup') expect(report.kernel).toMatch(/subgroupAdd/);
      if (spec.recurrence === 'spread-workgroup') expect(report.kernel).toMatch(/workgroup memory/);
    });

    it("weights: 'float16' runs within 5e-4 of the reference where the device has shader-f16, else is refused naming the feature", async () => {
      const result = await run(halfWeights, {});
      if (result.hasF16) {
        expect(result.code, result.message).toBe('ran');
      } else {
        expect(result.code).toBe('BACKEND_UNAVAILABLE');
        expect(result.message).toMatch(/weights: 'float16' needs the WebGPU feature shader-f16, which this device lacks/);
      }
    });

    it("refuses 'sequence' at H = 1024, where one workgroup cannot hold every unit, naming the bound", async () => {
      const refused = await run(forceSequence, { hiddenSize: 1024 });
      expect(refused.code).toBe('INVALID_ARGUMENT');
      expect(refused.message).toMatch(/'sequence' cannot run hiddenSize 1024.*H ≤ 256/);
    });
  });
}

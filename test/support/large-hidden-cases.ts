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

    it("refuses 'sequence' at H = 1024, where one workgroup cannot hold every unit, naming the bound", async () => {
      const refused = await run(forceSequence, { hiddenSize: 1024 });
      expect(refused.code).toBe('INVALID_ARGUMENT');
      expect(refused.message).toMatch(/'sequence' cannot run hiddenSize 1024.*H ≤ 256/);
    });
  });
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckReport, Scenario, ScenarioRunner } from './kit.js';

// The GPU property test, written once for both runtimes (test/gpu/property.test.ts in a Chromium
// page, test/dawn/property.test.ts on Dawn): fast-check draws small shapes, options and seeds; each
// draw runs on the GPU and on the float64 reference in the same runtime and must agree within the
// default tolerance. Some draws run under limits that force a split. CI draws from a fixed seed,
// printed at the start; WEBGPU_LSTM_TEST_SEED=<seed> replays a run (test/README.md).

/**
 * The largest weight buffer of a model, derived by hand from the packed layout (4 gates × 4 bytes
 * per element): W_ih is K × H with K = I in layer 0 and D·H above it; W_hh is padded to whole
 * quads of rows, ⌈H/4⌉·4 × H; the bias is H. Already a multiple of 16 bytes.
 */
function largestWeightBytes(d: { inputSize: number; hiddenSize: number; numLayers: number; bidirectional: boolean }): number {
  const H = d.hiddenSize;
  const upperK = d.numLayers > 1 ? (d.bidirectional ? 2 : 1) * H : 0;
  return 16 * H * Math.max(d.inputSize, upperK, 4 * Math.ceil(H / 4));
}

export interface Draw {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly batchFirst: boolean;
  readonly bias: boolean;
  readonly steps: number;
  readonly batch: number;
  readonly lengths: number[] | null;
  readonly state: boolean;
  readonly seed: number;
  /** spread-workgroup runs on every device; auto picks spread-subgroup above H = 256 only, so it is forced too. */
  readonly recurrence: 'auto' | 'steps' | 'spread-subgroup' | 'spread-workgroup';
  /** maxBufferSize to impose (forcing a split), or null for the device's limits. */
  readonly maxBufferSize: number | null;
}

export const draw: fc.Arbitrary<Draw> = fc
  .record({
    inputSize: fc.integer({ min: 1, max: 20 }),
    hiddenSize: fc.integer({ min: 1, max: 70 }),
    numLayers: fc.integer({ min: 1, max: 3 }),
    bidirectional: fc.boolean(),
    batchFirst: fc.boolean(),
    bias: fc.boolean(),
    steps: fc.integer({ min: 1, max: 24 }),
    batch: fc.integer({ min: 1, max: 9 }),
    lengthDraws: fc.option(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 9, maxLength: 9 })),
    state: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
    recurrence: fc.constantFrom('auto' as const, 'steps' as const, 'spread-subgroup' as const, 'spread-workgroup' as const),
    split: fc.boolean(),
  })
  .map(({ lengthDraws, split, ...d }) => {
    // The largest weight buffer must fit any imposed limit (weights are never split); half the
    // steps' 256-byte step-index slots then force chunks over time.
    const weightBytes = largestWeightBytes(d);
    return {
      ...d,
      lengths: lengthDraws ? lengthDraws.slice(0, d.batch).map((u) => Math.min(d.steps, 1 + Math.floor(u * d.steps))) : null,
      maxBufferSize: split && d.steps > 1 ? Math.max(weightBytes, 256 * Math.ceil(d.steps / 2)) : null,
    };
  });

/** One draw on the GPU and on the CPU, in the runtime of the kit. */
export const runDraw: Scenario<Draw, CheckReport & { submits: number }> = async (kit, spec) => {
  const lib = kit.lib;
  const backend = await kit.webgpu(spec.maxBufferSize ? { maxBufferSize: spec.maxBufferSize } : undefined);
  const { steps: T, batch: B, inputSize: I, hiddenSize: H, numLayers: L } = spec;
  const model = lib.LSTM.random({ inputSize: I, hiddenSize: H, numLayers: L, bidirectional: spec.bidirectional, batchFirst: spec.batchFirst, bias: spec.bias, seed: spec.seed });
  const stateSize = L * (spec.bidirectional ? 2 : 1) * B * H;
  const options = {
    steps: T,
    batch: B,
    ...(spec.lengths ? { lengths: spec.lengths } : {}),
    ...(spec.state ? { h0: kit.wave(stateSize, spec.seed), c0: kit.wave(stateSize, spec.seed + 1) } : {}),
  };
  const x = kit.wave(T * B * I, spec.seed + 2);
  const runner = await backend.load(model, { recurrence: spec.recurrence });
  try {
    const result = await runner.forward(x, options);
    return { ...(await kit.check(model, x, options, result)), submits: result.stats.submits };
  } finally {
    runner.dispose();
    backend.dispose();
  }
};

/**
 * The property test in one runtime: `runs` draws from `seed` (testSeed's), each run by `run`. At
 * least a tenth of the draws must have been split, so the split paths are really exercised.
 */
export function describePropertyTest(where: string, run: ScenarioRunner, { runs, seed }: { runs: number; seed: number }): void {
  describe(`property (${where}): WebGPU agrees with the float64 reference on random small cases`, () => {
    it(`${runs} draws of shapes, layers, directions, layouts, lengths, h0/c0, bias, seeds and limits (seed ${seed})`, async () => {
      let splits = 0;
      try {
        await fc.assert(
          fc.asyncProperty(draw, async (d) => {
            const report = await run(runDraw, d);
            if (report.submits > 1) splits++;
            expect(report.passed, `${JSON.stringify(d)}: ${report.worst}`).toBe(true);
          }),
          { numRuns: runs, seed },
        );
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause;
        throw new Error(`property failed; replay with WEBGPU_LSTM_TEST_SEED=${seed}\n${(error as Error).message}${cause ? `\ncause: ${String(cause)}` : ''}`);
      }
      console.log(`property (${where}): ${runs} runs passed (seed ${seed}), ${splits} of them split over several calls`);
      expect(splits).toBeGreaterThan(runs / 10);
    });
  });
}

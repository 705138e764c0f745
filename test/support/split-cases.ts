import { describe, expect, it } from 'vitest';
import { alignedBufferSize } from '../../src/gpu/memory.js';
import { listShapeBuffers, listWeightBuffers, shapeBuffers } from '../../src/gpu/buffers.js';
import { BufferUsage } from '../../src/gpu/flags.js';
import { normalizeConfig, type LstmConfigInput } from '../../src/model/config.js';
import type { RequestedLimits } from '../../src/gpu/limits.js';
import type { TrackedBuffer } from './buffer-tracking.js';
import type { CheckReport, Scenario, ScenarioRunner } from './kit.js';

// The split tests, written once for both runtimes (test/gpu/split.test.ts in a Chromium page,
// test/dawn/split.test.ts on Dawn). Calls too big for the device's limits are split, and give the
// CPU's results. SwiftShader offers 1 GiB buffers, so the tests impose smaller limits
// (createBackend({ limits })) to run every split path in CI: over the batch, over time
// (unidirectional and bidirectional, layer by layer), and around the workgroup-count limit.

interface SplitCase {
  readonly config: LstmConfigInput & { seed: number };
  readonly steps: number;
  readonly batch: number;
  readonly limits?: RequestedLimits;
  readonly recurrence?: 'auto' | 'steps' | 'sequence';
  readonly lengths?: boolean;
  readonly state?: boolean;
  readonly trace?: boolean;
}

interface SplitOutcome {
  readonly report: CheckReport;
  /** Max |gpu − cpu| over every trace field, when traced. */
  readonly traceError: number;
  readonly finite: boolean;
  readonly stats: { dispatches: number; submits: number; readbacks: number };
}

/** One case on a backend with the case's limits, compared with the CPU in the same runtime. */
const runSplitCase: Scenario<SplitCase, SplitOutcome> = async (kit, spec) => {
  const lib = kit.lib;
  const backend = await kit.webgpu(spec.limits);
  const model = lib.LSTM.random(spec.config);
  const { inputSize: I, hiddenSize: H, numLayers: L, bidirectional } = model.config;
  const stateSize = L * (bidirectional ? 2 : 1) * spec.batch * H;
  const options = {
    steps: spec.steps,
    batch: spec.batch,
    trace: spec.trace === true,
    // Lengths spread over 1..T, the longest first so the reverse direction's offsets differ.
    ...(spec.lengths ? { lengths: Array.from({ length: spec.batch }, (_, b) => spec.steps - ((b * 7919) % spec.steps)) } : {}),
    ...(spec.state ? { h0: kit.wave(stateSize, 1).map((v) => 0.5 * v), c0: kit.wave(stateSize, 2) } : {}),
  };
  const x = kit.wave(spec.steps * spec.batch * I);
  const runner = await backend.load(model, { recurrence: spec.recurrence ?? 'auto' });
  const result = await runner.forward(x, options);
  runner.dispose();
  let traceError = 0;
  if (spec.trace) {
    const expected = await (await (await lib.createBackend({ prefer: 'cpu' })).load(model)).forward(x, options);
    result.trace!.forEach((entry, ld) => {
      for (const field of ['i', 'f', 'g', 'o', 'c', 'h'] as const) {
        entry[field].forEach((v, i) => (traceError = Math.max(traceError, Math.abs(v - expected.trace![ld][field][i]))));
      }
    });
  }
  const finite = [result.output, result.hN, result.cN].every((t) => t.data.every(Number.isFinite));
  const report = await kit.check(model, x, options, result);
  backend.dispose();
  return { report, traceError, finite, stats: { dispatches: result.stats.dispatches, submits: result.stats.submits, readbacks: result.stats.readbacks } };
};

interface ForwardBuffersSpec {
  readonly config: LstmConfigInput;
  readonly steps: number;
  readonly batch: number;
  readonly trace: boolean;
  readonly recurrence: 'steps' | 'sequence';
}

/** Every buffer one forward call creates (after the load), as the runtime's createBuffer saw it. */
const forwardBuffers: Scenario<ForwardBuffersSpec, TrackedBuffer[]> = async (kit, spec) => {
  const backend = await kit.webgpu();
  const runner = await backend.load(kit.lib.LSTM.random({ ...spec.config, seed: 1 }), { recurrence: spec.recurrence });
  const buffers = kit.trackBuffers();
  try {
    await runner.forward(kit.wave(spec.steps * spec.batch * spec.config.inputSize), { steps: spec.steps, batch: spec.batch, trace: spec.trace });
  } finally {
    buffers.stop();
    runner.dispose();
    backend.dispose();
  }
  return [...buffers.created];
};

/** Every buffer a load creates, as the runtime's createBuffer saw it. */
const loadBuffers: Scenario<LstmConfigInput, TrackedBuffer[]> = async (kit, config) => {
  const backend = await kit.webgpu();
  const buffers = kit.trackBuffers();
  try {
    (await backend.load(kit.lib.LSTM.random({ ...config, seed: 1 }))).dispose();
  } finally {
    buffers.stop();
    backend.dispose();
  }
  return [...buffers.created];
};

const kCases: [string, SplitCase][] = [
  ['over the batch: 2 layers, bidirectional, lengths, h0/c0, trace', {
    config: { inputSize: 8, hiddenSize: 32, numLayers: 2, bidirectional: true, seed: 1 },
    steps: 40, batch: 48, lengths: true, state: true, trace: true, limits: { maxStorageBufferBindingSize: 256 * 1024 },
  }],
  ['over time: 3 layers, lengths, h0/c0, trace', {
    config: { inputSize: 3, hiddenSize: 12, numLayers: 3, seed: 2 },
    steps: 700, batch: 5, lengths: true, state: true, trace: true, limits: { maxBufferSize: 64 * 1024 },
  }],
  ['over time: bidirectional, batchFirst, lengths, h0/c0, trace, per-step kernel', {
    config: { inputSize: 5, hiddenSize: 9, numLayers: 2, bidirectional: true, batchFirst: true, seed: 3 },
    steps: 500, batch: 6, lengths: true, state: true, trace: true, recurrence: 'steps', limits: { maxBufferSize: 32 * 1024 },
  }],
  ['over time and batch: both limits at once', {
    config: { inputSize: 4, hiddenSize: 16, numLayers: 2, bidirectional: true, seed: 4 },
    steps: 300, batch: 20, lengths: true, limits: { maxBufferSize: 48 * 1024, maxStorageBufferBindingSize: 12 * 1024 },
  }],
  ['around the workgroup-count limit', {
    config: { inputSize: 3, hiddenSize: 8, seed: 5 },
    steps: 200, batch: 9, limits: { maxComputeWorkgroupsPerDimension: 3 },
  }],
];

/** The split tests in one runtime (`where` names it in the test names), each scenario run by `run`. */
export function describeSplitTests(where: string, run: ScenarioRunner): void {
  describe(`calls split to fit the limits give the CPU results (${where})`, () => {
    it.each(kCases)('%s', async (_name, c) => {
      const outcome = await run(runSplitCase, c);
      expect(outcome.stats.submits, 'the call was split').toBeGreaterThan(1);
      expect(outcome.report.passed, outcome.report.worst).toBe(true);
      expect(outcome.traceError).toBeLessThan(1e-5);
    });
  });

  describe(`a long run: T = 100 000, small H (${where})`, () => {
    const long = { config: { inputSize: 2, hiddenSize: 8, seed: 11 }, steps: 100_000, batch: 4 } as const;

    it('in one call, on the device limits, stays finite and matches the CPU', async () => {
      const outcome = await run(runSplitCase, long);
      expect(outcome.stats.submits).toBe(1);
      expect(outcome.finite).toBe(true);
      expect(outcome.report.passed, outcome.report.worst).toBe(true);
    });

    it('split over time (1 MiB buffers, one dispatch per step) stays finite and matches the CPU', async () => {
      const outcome = await run(runSplitCase, { ...long, recurrence: 'steps', limits: { maxBufferSize: 1 << 20 } });
      expect(outcome.stats.submits).toBeGreaterThan(1);
      expect(outcome.stats.dispatches).toBeGreaterThan(100_000);
      expect(outcome.finite).toBe(true);
      expect(outcome.report.passed, outcome.report.worst).toBe(true);
      console.log(`${where}: T=100000 B=4 H=8 split over time: ${outcome.stats.submits} calls, max |gpu − cpu| = ${outcome.report.maxAbs.toExponential(2)}`);
    });
  });

  describe(`the split's size model (${where})`, () => {
    it.each([
      ['steps', false],
      ['steps', true],
      ['sequence', false],
      ['sequence', true],
    ] as const)('bounds every buffer a %s call creates (trace: %s)', async (recurrence, trace) => {
      const config = { inputSize: 5, hiddenSize: 12, numLayers: 2, bidirectional: true };
      const [steps, batch] = [7, 3];
      const created = await run(forwardBuffers, { config, steps, batch, trace, recurrence });
      // The per-step path's buffers include every buffer of the sequence path.
      const model = listShapeBuffers(shapeBuffers(normalizeConfig(config), steps, batch, trace, { kind: 'steps' }, 256).buffers);
      const isStorage = (usage: number) => (usage & BufferUsage.STORAGE) !== 0;
      const largest = (storage: boolean) => Math.max(...model.filter((b) => isStorage(b.usage) || !storage).map((b) => alignedBufferSize(b.bytes)));
      expect(created.length).toBeGreaterThan(0);
      for (const buffer of created) {
        const storage = isStorage(buffer.usage);
        expect(buffer.size, `${buffer.label} (${storage ? 'storage' : 'not storage'})`).toBeLessThanOrEqual(largest(storage));
      }
    });

    it('bounds the weight buffers a load creates (W_hh padded to whole quads of rows)', async () => {
      // H = 13 makes the padded W_hh the largest weight buffer, so any padding the model missed shows.
      const config = { inputSize: 2, hiddenSize: 13 };
      const created = (await run(loadBuffers, config)).map((b) => b.size);
      const modelled = listWeightBuffers(normalizeConfig(config)).map((b) => alignedBufferSize(b.bytes));
      expect(created.sort((a, b) => a - b)).toEqual(modelled.sort((a, b) => a - b));
    });
  });
}

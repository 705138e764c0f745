import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LstmError } from '../../src/core/errors.js';
import { prepareInput, type ForwardOptions } from '../../src/api/forward-input.js';
import { referenceForward } from '../../src/cpu/reference.js';
import type { ForwardLimits } from '../../src/gpu/limits.js';
import { effectiveLimits } from '../../src/gpu/limits.js';
import { forwardSplit } from '../../src/gpu/split/split.js';
import type { SplitHost } from '../../src/gpu/split/host.js';
import { layerDirectionConfig, planSplit } from '../../src/gpu/split/plan.js';
import { checkWeightsFit } from '../../src/gpu/split/fit.js';
import { directionCount, normalizeConfig, type LstmConfig } from '../../src/model/config.js';
import { layerDirectionModel } from '../../src/model/layer-model.js';
import { LSTM } from '../../src/model/lstm.js';
import { callBreaksLimits } from '../support/call-limits.js';
import { maxAbsDiff } from '../support/fixtures.js';
import { testSeed } from '../support/seed.js';

// The split logic without a GPU: a host whose "calls" are the float64 reference, and which fails
// any call that would break the limits — judged by an independent model of a call's buffers
// (test/support/call-limits.ts), not by the planner's own. test/gpu/split.test.ts runs the same
// paths on SwiftShader.

const seed = testSeed('test/unit/split.test.ts');

const kStride = 256;
const kLarge = 2 ** 30;
const limitsOf = (l: Partial<ForwardLimits>): ForwardLimits => ({
  maxStorageBufferBindingSize: kLarge,
  maxBufferSize: kLarge,
  maxComputeWorkgroupsPerDimension: 65535,
  ...l,
});

function referenceHost(model: LSTM, limits: ForwardLimits, calls: string[]): SplitHost {
  const runOn = (m: LSTM, what: string) => async (input: ReturnType<typeof prepareInput>) => {
    const broken = callBreaksLimits({ ...m.config, steps: input.steps, batch: input.batch, trace: input.trace, stepStride: kStride }, limits);
    if (broken) throw new Error(`${what} T=${input.steps} B=${input.batch} breaks ${broken}`);
    calls.push(`${what} T=${input.steps} B=${input.batch}`);
    return { ...referenceForward(m, input), stats: { backend: 'webgpu' as const, dispatches: 0, submits: 1, readbacks: 1 } };
  };
  return {
    config: model.config,
    limits,
    stepStride: kStride,
    runWhole: runOn(model, 'whole'),
    openLayerDirection: async (layer, direction) => ({ run: runOn(layerDirectionModel(model, layer, direction), `l${layer}d${direction}`) }),
  };
}

interface Case {
  config: Parameters<typeof LSTM.random>[0];
  steps: number;
  batch: number;
  limits: Partial<ForwardLimits>;
  lengths?: number[];
  state?: boolean;
  trace?: boolean;
}

async function splitAgainstWhole(c: Case) {
  const model = LSTM.random(c.config);
  const { inputSize: I, hiddenSize: H, numLayers: L } = model.config;
  const wave = (n: number, phase: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(0.37 * i + phase));
  const stateSize = L * directionCount(model.config) * c.batch * H;
  const options: ForwardOptions = {
    steps: c.steps,
    batch: c.batch,
    trace: c.trace,
    ...(c.lengths ? { lengths: c.lengths } : {}),
    ...(c.state ? { h0: wave(stateSize, 1), c0: wave(stateSize, 2) } : {}),
  };
  const input = prepareInput(model.config, wave(c.steps * c.batch * I, 0), options);
  const calls: string[] = [];
  const split = await forwardSplit(referenceHost(model, limitsOf(c.limits), calls), input);
  const whole = referenceForward(model, input);
  // Chunks hand states and layer outputs on as float32, as the GPU holds them.
  const error = Math.max(
    maxAbsDiff(split.output, whole.output),
    maxAbsDiff(split.hN, whole.hN),
    maxAbsDiff(split.cN, whole.cN),
    ...(c.trace ? whole.trace!.flatMap((entry, ld) => (['i', 'f', 'g', 'o', 'c', 'h'] as const).map((f) => maxAbsDiff(split.trace![ld][f], entry[f]))) : []),
  );
  return { error, calls, stats: split.stats };
}

describe('planSplit', () => {
  const config = normalizeConfig({ inputSize: 4, hiddenSize: 8, numLayers: 2, bidirectional: true });

  it('runs a call that fits as one call', () => {
    expect(planSplit(config, limitsOf({}), kStride, 100, 10, false)).toEqual({ kind: 'whole' });
  });

  it('splits over the batch when whole sequences fit', () => {
    // Per sequence and step, G takes 4H floats = 128 bytes: 100 steps of 3 sequences fit 40 000 bytes.
    expect(planSplit(config, limitsOf({ maxStorageBufferBindingSize: 40_000 }), kStride, 100, 10, false)).toEqual({ kind: 'batch', batchPerCall: 3 });
  });

  it('splits over time, layer by layer, when one sequence does not fit, into chunks as long as fit', () => {
    // By hand: one layer-direction alone reads the widest input, K = D·H = 16. The step-index
    // buffer takes 256 bytes a step, so at most 64 steps fit 16 KiB; G takes 4H·4 = 128 bytes per
    // step and sequence, so 64 steps hold 2 sequences (16 384 bytes), not 3.
    expect(layerDirectionConfig(config)).toMatchObject({ inputSize: 16, numLayers: 1, bidirectional: false });
    expect(planSplit(config, limitsOf({ maxBufferSize: 16_384 }), kStride, 1000, 10, false)).toEqual({ kind: 'time', batchPerCall: 2, stepsPerCall: 64 });
  });

  it('keeps the workgroup count of every dispatch within its limit, and uses as much of it as it can', () => {
    // The projection covers 16 rows (step × sequence) a workgroup: 100 steps of 2 sequences take
    // 13 workgroups, of 3 sequences 19.
    expect(planSplit(config, limitsOf({ maxComputeWorkgroupsPerDimension: 13 }), kStride, 100, 10, false)).toEqual({ kind: 'batch', batchPerCall: 2 });
    expect(planSplit(config, limitsOf({ maxComputeWorkgroupsPerDimension: 12 }), kStride, 100, 10, false)).toEqual({ kind: 'batch', batchPerCall: 1 });
  });

  it('names the limit, its value and the size asked for when not one step of one sequence fits', () => {
    const call = () => planSplit(config, limitsOf({ maxStorageBufferBindingSize: 64 }), kStride, 100, 10, false);
    expect(call).toThrow(LstmError);
    expect(call).toThrow(
      "forward (T=100, B=10): input projection z needs 128 bytes, more than the device's maxStorageBufferBindingSize of 64 for a single step of a single sequence, so no split can make it fit",
    );
  });

  it('refuses at load weights no split can shrink, naming the limit', () => {
    expect(() => checkWeightsFit(config, limitsOf({ maxStorageBufferBindingSize: 1000 }))).toThrow(
      "load: weight_hh_l0 needs 1024 bytes, more than the device's maxStorageBufferBindingSize of 1000; weights cannot be split, so this model needs a device with a larger limit (or the CPU)",
    );
  });

  it("lowers the device's limits to the caller's, never raises them", () => {
    const device = { limits: { maxStorageBufferBindingSize: 1000, maxBufferSize: 5000, maxComputeWorkgroupsPerDimension: 65535 } } as unknown as GPUDevice;
    expect(effectiveLimits(device, { maxStorageBufferBindingSize: 10_000, maxBufferSize: 2000 })).toEqual({
      maxStorageBufferBindingSize: 1000,
      maxBufferSize: 2000,
      maxComputeWorkgroupsPerDimension: 65535,
    });
  });
});

describe('forwardSplit on the reference: every call within the limits, the results of one call', () => {
  const cases: [string, Case][] = [
    ['batch split with lengths, state and trace', { config: { inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true, seed: 1 }, steps: 9, batch: 7, limits: { maxStorageBufferBindingSize: 1600 }, lengths: [9, 1, 4, 9, 2, 7, 3], state: true, trace: true }],
    ['time split, unidirectional, three layers', { config: { inputSize: 2, hiddenSize: 4, numLayers: 3, seed: 2 }, steps: 50, batch: 3, limits: { maxBufferSize: 2048 }, lengths: [50, 9, 33], state: true }],
    ['time split, bidirectional, with trace', { config: { inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 3 }, steps: 40, batch: 4, limits: { maxBufferSize: 2048 }, lengths: [40, 1, 17, 39], state: true, trace: true }],
  ];
  it.each(cases)('%s', async (_name, c) => {
    const { error, calls } = await splitAgainstWhole(c);
    expect(calls.length).toBeGreaterThan(1);
    expect(error).toBeLessThan(1e-6);
  });

  it(`property: random shapes, options and limits (seed ${seed})`, async () => {
    const arbitrary = fc
      .record({
        inputSize: fc.integer({ min: 1, max: 6 }),
        hiddenSize: fc.integer({ min: 1, max: 6 }),
        numLayers: fc.integer({ min: 1, max: 3 }),
        bidirectional: fc.boolean(),
        steps: fc.integer({ min: 1, max: 24 }),
        batch: fc.integer({ min: 1, max: 6 }),
        state: fc.boolean(),
        trace: fc.boolean(),
        withLengths: fc.boolean(),
        lengthSeed: fc.integer({ min: 0, max: 1000 }),
        // The storage limit in units of one step of one sequence's G (16·H bytes), the buffer limit in steps.
        storageSteps: fc.integer({ min: 2, max: 200 }),
        bufferSteps: fc.integer({ min: 4, max: 64 }),
        seed: fc.integer({ min: 0, max: 1 << 20 }),
      })
      .map((r): Case => ({
        config: { inputSize: r.inputSize, hiddenSize: r.hiddenSize, numLayers: r.numLayers, bidirectional: r.bidirectional, seed: r.seed },
        steps: r.steps,
        batch: r.batch,
        state: r.state,
        trace: r.trace,
        lengths: r.withLengths ? Array.from({ length: r.batch }, (_, b) => 1 + ((r.lengthSeed * (b + 7)) % r.steps)) : undefined,
        limits: { maxStorageBufferBindingSize: r.storageSteps * 16 * Math.max(r.hiddenSize, r.inputSize, 2 * r.hiddenSize), maxBufferSize: r.bufferSteps * kStride },
      }));
    let splits = 0;
    await fc.assert(
      fc.asyncProperty(arbitrary, async (c) => {
        const config = normalizeConfig(c.config as LstmConfig);
        try {
          checkWeightsFit(config, limitsOf(c.limits));
        } catch {
          return; // a model the limits cannot hold: refused at load, covered above
        }
        let result;
        try {
          result = await splitAgainstWhole(c);
        } catch (error) {
          if (error instanceof LstmError && error.code === 'LIMIT_EXCEEDED') return;
          throw error;
        }
        expect(result.error).toBeLessThan(1e-6);
        if (result.calls.length > 1) splits++;
      }),
      { numRuns: 300, seed },
    );
    // About half the drawn cases split (the rest fit whole or cannot fit at all): the paths are exercised.
    expect(splits).toBeGreaterThan(50);
  });
});

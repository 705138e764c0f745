import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults, kDefaultTolerance } from '../../src/api/compare.js';
import { referenceResult } from '../../src/api/runner.js';
import type { BrowserSession } from '../../src/node/chromium/browser-session.js';
import { remoteForward } from '../../src/node/chromium/remote.js';
import { maxAbsDiff } from '../support/fixtures.js';
import { openGpuSession } from '../support/gpu-session.js';
import { randomCase, type CaseSpec } from '../support/random-case.js';

let session: BrowserSession;
beforeAll(async () => {
  ({ session } = await openGpuSession());
});
afterAll(async () => {
  await session?.close();
});

/**
 * The README's tolerance: |gpu − cpu| ≤ 1e-5 + 1e-5·|cpu| per element for weights and inputs of
 * ordinary magnitude. With weights and inputs of magnitude 100, gate pre-activations are sums of
 * ±1e4 terms whose float32 rounding (~1e-3) the recurrent weights (also ~100) then amplify from step
 * to step: this case measures 6e-3 on SwiftShader. Its bound, 2e-2, still catches any real defect
 * (a wrong gate or state moves outputs by 0.1 or more); every value must be finite.
 */
const kLargeMagnitudeTolerance = { atol: 2e-2, rtol: 1e-3 };

const kGrid: [string, CaseSpec][] = [
  ['odd sizes I=13 H=37 B=5', { inputSize: 13, hiddenSize: 37, steps: 9, batch: 5 }],
  ['B=1', { inputSize: 4, hiddenSize: 16, steps: 30, batch: 1 }],
  ['T=1000', { inputSize: 3, hiddenSize: 8, steps: 1000, batch: 2 }],
  ['2 layers', { inputSize: 6, hiddenSize: 20, numLayers: 2, steps: 15, batch: 3 }],
  ['3 layers bidirectional', { inputSize: 5, hiddenSize: 12, numLayers: 3, bidirectional: true, steps: 11, batch: 4 }],
  ['lengths, bidirectional', { inputSize: 4, hiddenSize: 9, bidirectional: true, numLayers: 2, steps: 12, batch: 6, lengths: [12, 1, 7, 3, 12, 5] }],
  ['h0/c0', { inputSize: 4, hiddenSize: 10, numLayers: 2, bidirectional: true, steps: 8, batch: 3, withState: true }],
  ['batchFirst with lengths', { inputSize: 7, hiddenSize: 11, batchFirst: true, steps: 10, batch: 3, lengths: [4, 10, 9] }],
  ['no bias', { inputSize: 3, hiddenSize: 70, bias: false, steps: 6, batch: 9 }],
  ['H=130: several 64-unit workgroups and tiles', { inputSize: 33, hiddenSize: 130, steps: 5, batch: 7 }],
  // Batch tiles of the sequence kernel on a 2-core adapter: B = 16 takes 4 sequences per workgroup, B = 40 takes 8.
  ['B=16', { inputSize: 5, hiddenSize: 21, steps: 9, batch: 16, withState: true }],
  ['B=40 with lengths', { inputSize: 3, hiddenSize: 18, bidirectional: true, steps: 8, batch: 40, lengths: Array.from({ length: 40 }, (_, b) => 1 + ((b * 7) % 8)) }],
];

// Every recurrence kernel is verified: the persistent sequence kernel (chosen by 'auto' wherever
// H ≤ 256, so on this whole grid) and the per-step kernel (the path for larger H).
const kPaths = ['sequence', 'steps'] as const;
const kGridByPath = kPaths.flatMap((path) => kGrid.map(([name, spec]) => [`${path}: ${name}`, spec, path] as const));

describe('WebGPU vs the CPU reference over a grid of shapes and options', () => {
  it.each(kGridByPath)('%s', async (_name, spec, recurrence) => {
    const { model, x, options } = randomCase(spec);
    const expected = referenceResult(model, x, options);
    const { result } = await remoteForward(session, model, x, options, { recurrence });
    const report = compareResults(model.config, expected, result, kDefaultTolerance);
    expect(report.passed, JSON.stringify(report.output.worst)).toBe(true);
    expect(result.output.shape).toEqual(expected.output.shape);
  });

  it('inputs and weights of magnitude 100 stay finite and within the float32 floor', async () => {
    const { model, x, options } = randomCase({
      inputSize: 8, hiddenSize: 24, numLayers: 2, bidirectional: true, steps: 50, batch: 3,
      inputScale: 100, weightScale: 100, withState: true,
    });
    const expected = referenceResult(model, x, options);
    const { result } = await remoteForward(session, model, x, options);
    for (const part of [result.output, result.hN, result.cN]) expect(part.data.every(Number.isFinite)).toBe(true);
    const report = compareResults(model.config, expected, result, kLargeMagnitudeTolerance);
    expect(report.passed, JSON.stringify(report.output.worst)).toBe(true);
  });

  it.each(kPaths)('the GPU trace (%s kernel) records the same i, f, g, o, c, h as the CPU trace', async (recurrence) => {
    const { model, x, options } = randomCase({
      inputSize: 5, hiddenSize: 6, numLayers: 2, bidirectional: true, steps: 7, batch: 3, lengths: [7, 2, 5], trace: true,
    });
    const expected = referenceResult(model, x, options);
    const { result } = await remoteForward(session, model, x, options, { recurrence });
    expect(result.trace?.length).toBe(4);
    result.trace!.forEach((entry, k) => {
      const reference = expected.trace![k];
      expect([entry.layer, entry.direction]).toEqual([reference.layer, reference.direction]);
      for (const field of ['i', 'f', 'g', 'o', 'c', 'h'] as const) {
        expect(maxAbsDiff(entry[field], reference[field]), `${field} of layer ${entry.layer} direction ${entry.direction}`).toBeLessThan(1e-5);
      }
    });
  });

  it('streaming a sequence in chunks, h_n/c_n fed back as h0/c0, equals one call', async () => {
    const spec = { inputSize: 4, hiddenSize: 12, numLayers: 2, steps: 30, batch: 3 } as const;
    const { model, x } = randomCase(spec);
    const whole = await remoteForward(session, model, x, { steps: 30, batch: 3 });
    const chunks = [10, 15, 5];
    const outputs: number[] = [];
    let state: { h0?: Float32Array; c0?: Float32Array } = {};
    let t0 = 0;
    for (const T of chunks) {
      const xs = x.subarray(t0 * 3 * 4, (t0 + T) * 3 * 4);
      const { result } = await remoteForward(session, model, xs, { steps: T, batch: 3, ...state });
      outputs.push(...result.output.data);
      state = { h0: result.hN.data as Float32Array, c0: result.cN.data as Float32Array };
      t0 += T;
    }
    expect(maxAbsDiff(outputs, whole.result.output.data)).toBeLessThan(1e-6);
    expect(maxAbsDiff(state.h0!, whole.result.hN.data)).toBeLessThan(1e-6);
    expect(maxAbsDiff(state.c0!, whole.result.cN.data)).toBeLessThan(1e-6);
  });
});

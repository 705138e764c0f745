import './dawn-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults, kDefaultTolerance } from '../../src/api/compare.js';
import { referenceResult } from '../../src/api/runner.js';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { randomCase, type CaseSpec } from '../support/random-case.js';
import { openDawn } from './dawn-env.js';

// Odd sizes and every option, on Dawn, against the float64 CPU reference within the README's
// tolerance (|gpu − cpu| ≤ 1e-5 + 1e-5·|cpu|), through both recurrence kernels.
const kGrid: [string, CaseSpec][] = [
  ['odd sizes I=13 H=37 B=5', { inputSize: 13, hiddenSize: 37, steps: 9, batch: 5 }],
  ['T=1 B=1 I=1 H=1', { inputSize: 1, hiddenSize: 1, steps: 1, batch: 1 }],
  ['T=300 B=2', { inputSize: 3, hiddenSize: 8, steps: 300, batch: 2 }],
  ['3 layers bidirectional', { inputSize: 5, hiddenSize: 12, numLayers: 3, bidirectional: true, steps: 11, batch: 4 }],
  ['lengths, bidirectional', { inputSize: 4, hiddenSize: 9, bidirectional: true, numLayers: 2, steps: 12, batch: 6, lengths: [12, 1, 7, 3, 12, 5] }],
  ['h0/c0', { inputSize: 4, hiddenSize: 10, numLayers: 2, bidirectional: true, steps: 8, batch: 3, withState: true }],
  ['batchFirst with lengths', { inputSize: 7, hiddenSize: 11, batchFirst: true, steps: 10, batch: 3, lengths: [4, 10, 9] }],
  ['no bias, H=70 B=9', { inputSize: 3, hiddenSize: 70, bias: false, steps: 6, batch: 9 }],
  ['H=130 I=33', { inputSize: 33, hiddenSize: 130, steps: 5, batch: 7 }],
  ['B=40 with lengths', { inputSize: 3, hiddenSize: 18, bidirectional: true, steps: 8, batch: 40, lengths: Array.from({ length: 40 }, (_, b) => 1 + ((b * 7) % 8)) }],
];
const kPaths = ['sequence', 'steps'] as const;

let backend: NodeBackend;
beforeAll(async () => {
  backend = await openDawn();
});
afterAll(async () => {
  await backend?.close();
});

describe('WebGPU on Dawn vs the CPU reference over a grid of shapes and options', () => {
  it.each(kPaths.flatMap((path) => kGrid.map(([name, spec]) => [`${path}: ${name}`, spec, path] as const)))('%s', async (_name, spec, recurrence) => {
    const { model, x, options } = randomCase(spec);
    const expected = referenceResult(model, x, options);
    const runner = await backend.load(model, { recurrence });
    try {
      const result = await runner.forward(x, options);
      const report = compareResults(model.config, expected, result, kDefaultTolerance);
      expect(report.passed, JSON.stringify(report.output.worst)).toBe(true);
      expect(result.output.shape).toEqual(expected.output.shape);
    } finally {
      runner.dispose();
    }
  });

  it('the trace records the same i, f, g, o, c, h as the CPU trace', async () => {
    const { model, x, options } = randomCase({ inputSize: 5, hiddenSize: 6, numLayers: 2, bidirectional: true, steps: 7, batch: 3, lengths: [7, 2, 5], trace: true });
    const expected = referenceResult(model, x, options);
    const runner = await backend.load(model);
    const result = await runner.forward(x, options);
    runner.dispose();
    expect(result.trace?.length).toBe(4);
    result.trace!.forEach((entry, k) => {
      for (const field of ['i', 'f', 'g', 'o', 'c', 'h'] as const) {
        const worst = Math.max(...Array.from(entry[field], (v, i) => Math.abs(v - expected.trace![k][field][i])));
        expect(worst, `${field} of layer ${entry.layer} direction ${entry.direction}`).toBeLessThanOrEqual(2e-5);
      }
    });
  });

  it('a call too big for the limits asked for is split, and still matches', async () => {
    const small = await openDawn({ limits: { maxBufferSize: 4096 } });
    try {
      const { model, x, options } = randomCase({ inputSize: 4, hiddenSize: 10, numLayers: 2, steps: 40, batch: 3 });
      const runner = await small.load(model);
      const result = await runner.forward(x, options);
      runner.dispose();
      expect(result.stats.submits).toBeGreaterThan(1);
      const report = compareResults(model.config, referenceResult(model, x, options), result, kDefaultTolerance);
      expect(report.passed, JSON.stringify(report.output.worst)).toBe(true);
    } finally {
      await small.close();
    }
  });
});

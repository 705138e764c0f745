import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { compareResults } from '../../src/api/compare.js';
import { referenceResult } from '../../src/api/runner.js';
import { describeForwardContract, kContractCases, contractCaseData } from '../support/forward-contract.js';

// The CPU backend under the shared forward-result contract (the same suite runs on Dawn and the
// Chromium runtime in test/dawn/forward-contract.test.ts, and in the browser in test/gpu/).
describeForwardContract('CPU backend', async () => {
  const backend = await createBackend({ prefer: 'cpu' });
  return {
    forward: async ({ model, x, options }) => (await backend.load(model)).forward(x, options),
    close: async () => backend.dispose(),
  };
});

describe('compareResults compares every key the reference has', () => {
  const spec = kContractCases[1];
  const { model, x, options } = contractCaseData(spec);
  const reference = referenceResult(model, x, options);

  it('a result without its prediction fails, naming the key', () => {
    const { prediction: _dropped, ...rest } = reference;
    const report = compareResults(model.config, reference, rest);
    expect(report.missing).toEqual(['prediction']);
    expect(report.passed).toBe(false);
  });

  it('a wrong prediction fails, and its worst element is named by (b, t, unit)', () => {
    const data = Float64Array.from(reference.prediction!.data);
    data[(1 * 5 + 2) * 3 + 1] += 0.5;
    const report = compareResults(model.config, reference, { ...reference, prediction: { ...reference.prediction!, data } });
    expect(report.passed).toBe(false);
    expect(report.prediction!.failures).toBe(1);
    expect(report.prediction!.worst!.at).toEqual({ b: 1, t: 2, unit: 1 });
    expect(report.prediction!.maxAbs).toBeCloseTo(0.5, 12);
  });

  it('a wrong trace value fails, named by layer, direction, field, t, b, unit', () => {
    const trace = reference.trace!.map((e) => ({ ...e, g: Float64Array.from(e.g) }));
    (trace[1].g as Float64Array)[(3 * 2 + 1) * 4 + 2] -= 0.25;
    const report = compareResults(model.config, reference, { ...reference, trace });
    expect(report.passed).toBe(false);
    expect(report.trace!.worst!.at).toEqual({ layer: 0, direction: 1, field: 2, t: 3, b: 1, unit: 2 });
  });
});

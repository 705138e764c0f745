import { describe, expect, it } from 'vitest';
import { referenceResult } from '../../src/api/runner.js';
import { loadTorchCase, maxAbsDiff, torchCaseNames } from '../support/fixtures.js';

// The CPU reference against an independent float64 NumPy implementation of torch.nn.LSTM
// (test/fixtures/make_fixtures.py): both are float64, so they agree to rounding (1e-10 leaves room for the summation-order
// differences of the extreme case, whose pre-activations are sums of ±1e4 terms).
describe('CPU reference vs the float64 torch.nn.LSTM fixtures', () => {
  it.each(torchCaseNames())('%s', (name) => {
    const c = loadTorchCase(name);
    const result = referenceResult(c.model, c.input.x, c.input.options);
    expect(result.output.shape).toEqual(c.expected.output.shape);
    expect(result.hN.shape).toEqual(c.expected.hN.shape);
    expect(maxAbsDiff(result.output.data, c.expected.output.data)).toBeLessThan(1e-10);
    expect(maxAbsDiff(result.hN.data, c.expected.hN.data)).toBeLessThan(1e-10);
    expect(maxAbsDiff(result.cN.data, c.expected.cN.data)).toBeLessThan(1e-10);
  });
});

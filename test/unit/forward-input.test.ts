import { describe, expect, it } from 'vitest';
import { LstmError } from '../../src/core/errors.js';
import { referenceResult } from '../../src/api/runner.js';
import { prepareInput } from '../../src/api/forward-input.js';
import { CpuRunner } from '../../src/cpu/runner.js';
import { LSTM } from '../../src/model/lstm.js';

// Input checks happen before any backend work, so the CPU runner shows the same messages the GPU
// runner gives; after each error the same runner still answers a valid call correctly.
describe('forward input validation', () => {
  const model = LSTM.random({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 3 });
    const x = new Float64Array(5 * 2 * 3).map((_, i) => Math.sin(i));
  const good = referenceResult(model, x, { steps: 5, batch: 2 });

  const cases: [string, () => unknown, string, string][] = [
    ['x of the wrong length', () => referenceResult(model, x.subarray(1), { steps: 5, batch: 2 }), 'INVALID_SHAPE', 'x: expected 30 values for shape [5, 2, 3], got 29 values'],
    ['zero steps', () => referenceResult(model, x, { steps: 0, batch: 2 }), 'INVALID_ARGUMENT', 'options.steps: expected an integer in [1, 268435456], got 0'],
    ['fractional batch', () => referenceResult(model, x, { steps: 5, batch: 1.5 }), 'INVALID_ARGUMENT', 'options.batch: expected an integer in [1, 268435456], got 1.5'],
    ['h0 of the wrong shape', () => referenceResult(model, x, { steps: 5, batch: 2, h0: new Float64Array(8) }), 'INVALID_SHAPE', 'h0: expected 32 values for shape [4, 2, 4], got 8'],
    ['lengths of the wrong count', () => referenceResult(model, x, { steps: 5, batch: 2, lengths: [5] }), 'INVALID_SHAPE', 'lengths: expected 2 integers (one per sequence), got [5]'],
    ['a length out of range', () => referenceResult(model, x, { steps: 5, batch: 2, lengths: [5, 6] }), 'INVALID_ARGUMENT', 'lengths[1]: expected an integer in [1, 5], got 6'],
    ['NaN in x', () => referenceResult(model, Float64Array.from(x, (v, i) => (i === 7 ? NaN : v)), { steps: 5, batch: 2 }), 'NON_FINITE', 'x at t=1, b=0, i=1 (flat index 7) is NaN'],
  ];

  it.each(cases)('%s', (_name, call, code, message) => {
    expect(call).toThrow(message);
    try {
      call();
    } catch (error) {
      expect(error).toBeInstanceOf(LstmError);
      expect((error as LstmError).code).toBe(code);
    }
    expect(referenceResult(model, x, { steps: 5, batch: 2 }).output.data).toEqual(good.output.data);
  });

  it('a disposed runner refuses to run', () => {
    const other = new CpuRunner(model);
    other.dispose();
    expect(() => other.runSync(prepareInput(model.config, x, { steps: 5, batch: 2 }))).toThrow('forward: this runner was disposed');
  });
});

import { describe, expect, it } from 'vitest';
import { LstmError } from '../../src/core/errors.js';
import { frontRunner, referenceResult } from '../../src/api/runner.js';
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

// A backend that reads x before it first awaits (cpu, wasm) takes the caller's float array as it is:
// no copy, whose fresh pages cost milliseconds at large shapes. Everything else is still copied.
describe('x borrowed where the backend reads it at once', () => {
  const config = LSTM.random({ inputSize: 3, hiddenSize: 4, seed: 3 }).config;
  const x32 = new Float32Array(5 * 2 * 3).map((_, i) => Math.cos(i));

  it('keeps a time-major Float32Array or Float64Array x as it is', () => {
    expect(prepareInput(config, x32, { steps: 5, batch: 2 }, { borrowX: true }).x).toBe(x32);
    const x64 = Float64Array.from(x32);
    expect(prepareInput(config, x64, { steps: 5, batch: 2 }, { borrowX: true }).x).toBe(x64);
  });

  it('copies without borrowX, for a plain array and for batch-first x', () => {
    const copied = prepareInput(config, x32, { steps: 5, batch: 2 }).x;
    expect(copied).not.toBe(x32);
    expect(copied).toBeInstanceOf(Float64Array);
    expect(Array.from(copied)).toEqual(Array.from(x32));
    expect(prepareInput(config, Array.from(x32), { steps: 5, batch: 2 }, { borrowX: true }).x).toBeInstanceOf(Float64Array);
    const batchFirst = LSTM.random({ inputSize: 3, hiddenSize: 4, batchFirst: true, seed: 3 }).config;
    expect(prepareInput(batchFirst, x32, { steps: 5, batch: 2 }, { borrowX: true }).x).not.toBe(x32);
  });

  it('still checks a borrowed x: its length and its values', () => {
    expect(() => prepareInput(config, x32.subarray(1), { steps: 5, batch: 2 }, { borrowX: true })).toThrow('x: expected 30 values for shape [5, 2, 3], got 29 values');
    const bad = Float32Array.from(x32, (v, i) => (i === 7 ? Infinity : v));
    expect(() => prepareInput(config, bad, { steps: 5, batch: 2 }, { borrowX: true })).toThrow('x at t=1, b=0, i=1 (flat index 7) is Infinity');
    expect(prepareInput(config, bad, { steps: 5, batch: 2, nonFinite: 'propagate' }, { borrowX: true }).x).toBe(bad);
  });

  it('a CPU forward reads a borrowed x before the caller can change it', async () => {
    const model = LSTM.random({ inputSize: 3, hiddenSize: 4, seed: 3 });
    const expected = referenceResult(model, x32, { steps: 5, batch: 2 });
    const runner = frontRunner(model, new CpuRunner(model));
    const x = x32.slice();
    const pending = runner.forward(x, { steps: 5, batch: 2 });
    x.fill(0); // after the call returned its promise, before it settles
    expect((await pending).output.data).toEqual(expected.output.data);
  });
});

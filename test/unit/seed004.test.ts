import { describe, expect, it } from 'vitest';
import { referenceResult } from '../../src/api/runner.js';
import { modelFromScalarGates } from '../../src/formats/gates.js';

// Seed 004's printed table (its notebook's own output), to 4 decimals, and its prediction 4·h_T.
const kSeed004Table = [
  { f: 0.6225, i: 0.6457, g: 0.6044, c: 0.3902, o: 0.69, h: 0.2564 },
  { f: 0.7361, i: 0.7775, g: 0.9009, c: 0.9877, o: 0.8459, h: 0.6398 },
  { f: 0.8269, i: 0.873, g: 0.9798, c: 1.6721, o: 0.9344, h: 0.8707 },
];
export const kSeed004Gates = {
  forget: [0.5, 0.1, 0],
  input: [0.6, 0.2, 0],
  cell: [0.7, 0.3, 0],
  output: [0.8, 0.4, 0],
} as const;

describe('seed 004: the scalar LSTM step by step on the CPU', () => {
  const model = modelFromScalarGates(kSeed004Gates);
  const result = referenceResult(model, [1, 2, 3], { steps: 3, batch: 1, trace: true });
  const trace = result.trace![0];

  it.each(kSeed004Table.map((row, t) => [t + 1, row] as const))('step %i matches every printed gate and state', (step, row) => {
    const t = step - 1;
    for (const field of ['f', 'i', 'g', 'c', 'o', 'h'] as const) {
      expect(trace[field][t].toFixed(4), `${field} at step ${step}`).toBe(row[field].toFixed(4));
    }
  });

  it('predicts 4·h_T = 3.4827 and returns h_T, c_T as h_n, c_n', () => {
    expect((4 * result.hN.data[0]).toFixed(4)).toBe('3.4827');
    expect(result.output.data[2]).toBe(result.hN.data[0]);
    expect(result.cN.data[0].toFixed(4)).toBe('1.6721');
  });
});

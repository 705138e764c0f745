import { describe, expect, it } from 'vitest';
import { prepareInput } from '../../src/api/forward-input.js';
import { referenceResult } from '../../src/api/runner.js';
import { traceTable } from '../../src/cli/trace-table.js';
import { LSTM } from '../../src/model/lstm.js';

// The terminal table of a wide call: cut to its first units and sequences, saying so, one table per
// layer, direction and sequence, each sequence only to its own length.
describe('the trace table of a wide call', () => {
  const model = LSTM.random({ inputSize: 3, hiddenSize: 6, numLayers: 2, bidirectional: true, seed: 5 });
  const [T, B] = [3, 5];
  const x = Float64Array.from({ length: T * B * 3 }, (_, k) => Math.cos(k));
  const options = { steps: T, batch: B, lengths: [3, 2, 3, 3, 1], trace: true };
  const result = referenceResult(model, x, options);
  const lines = traceTable(model.config, prepareInput(model.config, x, options), result.trace!);

  it('says what it leaves out', () => {
    expect(lines[0]).toBe('trace: showing units 0–3 of H = 6, sequences 0–3 of B = 5; the result file holds every value');
  });

  it('has a table per layer, direction and shown sequence, naming each', () => {
    const headings = lines.filter((line) => line.startsWith('layer '));
    expect(headings).toHaveLength(2 * 2 * 4);
    expect(headings[0]).toBe('layer 0, forward, sequence 0:');
    expect(headings[1]).toBe('layer 0, forward, sequence 1 (length 2):');
    expect(headings[4]).toBe('layer 0, reverse (run from its last step back), sequence 0:');
    expect(headings[8]).toBe("layer 1 (x: layer 0's h), forward, sequence 0:");
  });

  it('shows four units per step and each sequence to its length', () => {
    const table = (heading: string) => {
      const start = lines.indexOf(heading) + 2;
      const end = lines.indexOf('', start);
      return lines.slice(start, end === -1 ? undefined : end);
    };
    expect(table('layer 0, forward, sequence 0:')).toHaveLength(3 * 4);
    expect(table('layer 0, forward, sequence 1 (length 2):')).toHaveLength(2 * 4);
    const first = table('layer 0, forward, sequence 0:')[0].trim().split(/\s+/);
    // x_0 of sequence 0 is (cos 0, cos 1, cos 2): three values, written out.
    expect(first.slice(0, 5)).toEqual(['1', '0', '[1.0000', '0.5403', '-0.4161]']);
    // Layer 1's x is the 12 values of layer 0's h (both directions): shown by its norm.
    expect(table("layer 1 (x: layer 0's h), forward, sequence 0:")[0]).toMatch(/^\s*1\s+0\s+\|x\| \d\.\d{4}\s/);
  });
});

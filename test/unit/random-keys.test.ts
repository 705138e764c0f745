import { describe, expect, it } from 'vitest';
import { LstmError } from '../../src/core/errors.js';
import { modelFromJSON } from '../../src/formats/model-json.js';
import { LSTM } from '../../src/model/lstm.js';

// A misspelled option is reported as unknown, with the nearest valid key, not as a missing one.

function message(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LstmError);
    return `${(error as LstmError).code}: ${(error as Error).message}`;
  }
  throw new Error('expected an error');
}

describe('LSTM.random with a key it does not know', () => {
  it('names the key and the nearest valid one (hidenSize → hiddenSize)', () => {
    expect(message(() => LSTM.random({ inputSize: 2, hidenSize: 4 } as never))).toMatch(/^INVALID_ARGUMENT: LSTM.random: unknown key "hidenSize" \(did you mean "hiddenSize"\?\); expected some of inputSize, hiddenSize, numLayers, /);
  });

  it('finds swapped letters and wrong case too, and suggests nothing for a key unlike any', () => {
    expect(message(() => LSTM.random({ inputSize: 2, hiddenSize: 4, nmuLayers: 2 } as never))).toContain('unknown key "nmuLayers" (did you mean "numLayers"?)');
    expect(message(() => LSTM.random({ inputSize: 2, hiddenSize: 4, batchfirst: true } as never))).toContain('unknown key "batchfirst" (did you mean "batchFirst"?)');
    expect(message(() => LSTM.random({ inputSize: 2, hiddenSize: 4, temperature: 1 } as never))).toMatch(/unknown key "temperature"; expected some of/);
  });

  it('still takes every key it documents', () => {
    const model = LSTM.random({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, bias: true, batchFirst: true, head: { layers: [{ outFeatures: 1 }] }, seed: 1, distribution: 'normal', std: 0.1, init: 'pytorch', projSize: 2 } as never);
    expect(model.config).toMatchObject({ numLayers: 2, bidirectional: true, batchFirst: true, projSize: 2 });
  });
});

describe('a model file config with a misspelled key', () => {
  it('names the nearest valid key', () => {
    expect(message(() => modelFromJSON({ config: { input_size: 1, hiden_size: 2 }, params: {} }))).toMatch(/^INVALID_ARGUMENT: config.hiden_size: unknown key \(did you mean "hidden_size"\?\); expected some of input_size, hidden_size/);
  });
});

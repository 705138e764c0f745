import { describe, expect, it } from 'vitest';
import { LstmError } from '../../src/core/errors.js';
import { modelFromJSON, modelToJSON } from '../../src/formats/model-json.js';
import { LSTM } from '../../src/model/lstm.js';
import { paramSpecs } from '../../src/model/params.js';

describe('LSTM.random', () => {
  it('is reproducible: the same seed gives the same weights, another seed others', () => {
    const config = { inputSize: 5, hiddenSize: 7, numLayers: 2, bidirectional: true };
    const a = LSTM.random({ ...config, seed: 42 });
    const b = LSTM.random({ ...config, seed: 42 });
    const c = LSTM.random({ ...config, seed: 43 });
    for (const spec of paramSpecs(a.config)) expect(a.param(spec.name)).toEqual(b.param(spec.name));
    expect(a.param('weight_ih_l0')).not.toEqual(c.param('weight_ih_l0'));
  });

  it("draws PyTorch's U(−1/√H, 1/√H) by default, spread over the whole range", () => {
    const model = LSTM.random({ inputSize: 16, hiddenSize: 64, seed: 1 });
    const w = model.param('weight_hh_l0');
    const bound = 1 / 8;
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-bound);
    expect(Math.max(...w)).toBeGreaterThan(0.95 * bound);
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
  });

  it('draws N(0, std²) when asked', () => {
    const model = LSTM.random({ inputSize: 16, hiddenSize: 64, seed: 1, distribution: 'normal', std: 2 });
    const w = model.param('weight_hh_l0');
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length;
    expect(Math.sqrt(variance)).toBeGreaterThan(1.9);
    expect(Math.sqrt(variance)).toBeLessThan(2.1);
  });

  it("names parameters as PyTorch does, in PyTorch's order", () => {
    const names = paramSpecs(LSTM.random({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true }).config).map((s) => `${s.name}${JSON.stringify(s.shape)}`);
    expect(names.slice(0, 8)).toEqual([
      'weight_ih_l0[16,3]', 'weight_hh_l0[16,4]', 'bias_ih_l0[16]', 'bias_hh_l0[16]',
      'weight_ih_l0_reverse[16,3]', 'weight_hh_l0_reverse[16,4]', 'bias_ih_l0_reverse[16]', 'bias_hh_l0_reverse[16]',
    ]);
    expect(names[8]).toBe('weight_ih_l1[16,8]');
  });
});

describe('model JSON', () => {
  const model = LSTM.random({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, batchFirst: true, seed: 7 });
  const json = modelToJSON(model);

  // A file written by hand, in PyTorch's layout (rows are the gate blocks i, f, g, o; I = 2, H = 1):
  // reading it must give these very numbers, and writing the model must give this very file, so a
  // mistake made the same way in the reader and the writer cannot hide behind a round trip.
  const kHandWritten = {
    config: { input_size: 2, hidden_size: 1, num_layers: 1, bidirectional: false, batch_first: false, bias: true },
    params: {
      weight_ih_l0: { shape: [4, 2], data: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8] },
      weight_hh_l0: { shape: [4, 1], data: [1, 2, 3, 4] },
      bias_ih_l0: { shape: [4], data: [-1, -2, -3, -4] },
      bias_hh_l0: { shape: [4], data: [0.5, 0.25, 0.125, 0.0625] },
    },
  };

  it('reads a hand-written file into exactly its numbers, and writes exactly that file back', () => {
    const read = modelFromJSON(JSON.parse(JSON.stringify(kHandWritten)));
    expect(read.config).toEqual({ inputSize: 2, hiddenSize: 1, numLayers: 1, bidirectional: false, batchFirst: false, bias: true });
    expect([...read.param('weight_ih_l0')]).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
    expect([...read.param('weight_hh_l0')]).toEqual([1, 2, 3, 4]);
    expect([...read.param('bias_ih_l0')]).toEqual([-1, -2, -3, -4]);
    expect([...read.param('bias_hh_l0')]).toEqual([0.5, 0.25, 0.125, 0.0625]);
    expect(JSON.parse(JSON.stringify(modelToJSON(read)))).toEqual(kHandWritten);
  });

  it('round-trips a two-layer bidirectional model exactly', () => {
    const back = modelFromJSON(JSON.parse(JSON.stringify(json)));
    expect(back.config).toEqual(model.config);
    for (const spec of paramSpecs(model.config)) expect(back.param(spec.name)).toEqual(model.param(spec.name));
  });

  it('uses the documented snake_case config keys', () => {
    expect(json.config).toEqual({ input_size: 3, hidden_size: 4, num_layers: 2, bidirectional: true, batch_first: true, bias: true });
  });

  const withParam = (name: string, value: unknown) => ({ ...json, params: { ...json.params, [name]: value } });
  const codeOf = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      return (error as LstmError).code;
    }
    return null;
  };

  it('names the parameter, the expected shape and the given one on a wrong shape', () => {
    const bad = withParam('weight_hh_l1', { shape: [16, 3], data: new Array(48).fill(0) });
    expect(() => modelFromJSON(bad)).toThrow('weight_hh_l1: expected shape [16, 4], got [16, 3]');
    expect(codeOf(() => modelFromJSON(bad))).toBe('INVALID_PARAMETER');
  });

  it('rejects a transposed weight even though the element count matches', () => {
    const bad = withParam('weight_ih_l0', { shape: [3, 16], data: new Array(48).fill(0) });
    expect(() => modelFromJSON(bad)).toThrow('weight_ih_l0: expected shape [16, 3], got [3, 16]');
  });

  it('rejects missing, unknown and non-numeric parameters', () => {
    const { bias_hh_l0: _dropped, ...rest } = json.params;
    expect(() => modelFromJSON({ ...json, params: rest })).toThrow('bias_hh_l0: missing; expected shape [16]');
    expect(() => modelFromJSON(withParam('weight_xx_l0', { shape: [1], data: [0] }))).toThrow('params: unknown parameter "weight_xx_l0"');
    const text = withParam('bias_ih_l0', { shape: [16], data: [...new Array(15).fill(0), 'x'] });
    expect(() => modelFromJSON(text)).toThrow('bias_ih_l0.data[15]: expected a number, got "x"');
  });

  it('rejects data whose length disagrees with its declared shape', () => {
    expect(() => modelFromJSON(withParam('bias_ih_l0', { shape: [16], data: [1, 2] }))).toThrow('bias_ih_l0: shape [16] needs 16 values, data has 2');
  });

  it('rejects bad config values, naming the key', () => {
    expect(() => modelFromJSON({ ...json, config: { ...json.config, hidden_size: 0 } })).toThrow('config.hiddenSize: expected an integer in [1, 65536], got 0');
    expect(() => modelFromJSON({ ...json, config: { ...json.config, hidden_size: 2.5 } })).toThrow('got 2.5');
    // proj_size must stay below hidden_size, as PyTorch requires (src/model/config.ts).
    expect(() => modelFromJSON({ ...json, config: { ...json.config, proj_size: json.config.hidden_size } })).toThrow('config.projSize: expected an integer in [1, ');
    expect(() => modelFromJSON({ ...json, config: { ...json.config, peephole: true } })).toThrow('config.peephole: unknown key');
  });
});

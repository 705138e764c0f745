import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { frontRunner } from '../../src/api/runner.js';
import type { BackendRunner } from '../../src/core/backend-runner.js';
import { LstmError } from '../../src/core/errors.js';
import { modelFromJSON, modelToJSON } from '../../src/formats/model-json.js';
import { LSTM } from '../../src/model/lstm.js';
import { paramSpecs } from '../../src/model/params.js';

// The dense head as part of the model: its config, parameters, file format, initialisers and the
// forward's prediction. The prediction's values are judged against PyTorch in train-fixtures.test.ts.

const base = { inputSize: 3, hiddenSize: 4 };

function errorOf(fn: () => unknown): LstmError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LstmError);
    return error as LstmError;
  }
  throw new Error('expected an error');
}

describe('head config', () => {
  it('names its parameters as nn.Linear stacks do, after the LSTM\'s', () => {
    const model = LSTM.random({ ...base, bidirectional: true, head: { layers: [{ outFeatures: 5, activation: 'relu' }, { outFeatures: 2 }] } });
    const specs = paramSpecs(model.config).filter((s) => s.name.startsWith('head.'));
    expect(specs.map((s) => `${s.name}${JSON.stringify(s.shape)}`)).toEqual(['head.0.weight[5,8]', 'head.0.bias[5]', 'head.1.weight[2,5]', 'head.1.bias[2]']);
    expect(model.config.head).toEqual({ layers: [{ outFeatures: 5, activation: 'relu' }, { outFeatures: 2, activation: 'linear' }], over: 'last' });
  });
  it('refuses bad fields, naming them', () => {
    const bad = (head: unknown) => errorOf(() => LSTM.random({ ...base, head: head as never })).message;
    expect(bad({ layers: [{ outFeatures: 0 }] })).toBe('config.head.layers[0].outFeatures: expected an integer in [1, 65536], got 0');
    expect(bad({ layers: [{ outFeatures: 2, activation: 'gelu' }] })).toBe('config.head.layers[0].activation: expected one of linear, relu, sigmoid, tanh, softmax, log_softmax, got "gelu"');
    expect(bad({ layers: [], over: 'first' })).toBe("config.head.over: expected 'last' or 'sequence', got \"first\"");
    expect(bad({ layers: [{ outFeatures: 2, units: 3 }] })).toBe('config.head.layers[0].units: unknown key; expected outFeatures, activation');
    expect(bad({ layers: 3 })).toBe('config.head.layers: expected a list of { outFeatures, activation }, got 3');
  });
  it('checks head parameters like the LSTM\'s', () => {
    const model = LSTM.random({ ...base, head: { layers: [{ outFeatures: 2 }] } });
    const tensors = model.tensors();
    tensors.set('head.0.weight', { shape: [4, 2], data: new Float64Array(8) });
    expect(errorOf(() => new LSTM(model.config, tensors)).message).toBe('head.0.weight: expected shape [2, 4], got [4, 2]');
  });
});

describe('head in the model file', () => {
  it('leaves a model without a head byte for byte as it was', () => {
    const text = JSON.stringify(modelToJSON(LSTM.random({ ...base, numLayers: 2 })));
    expect(text).not.toContain('head');
    expect(JSON.stringify(modelToJSON(modelFromJSON(JSON.parse(text))))).toBe(text);
  });
  it('round-trips a head in snake_case', () => {
    const model = LSTM.random({ ...base, head: { layers: [{ outFeatures: 3, activation: 'tanh' }, { outFeatures: 1 }], over: 'sequence' } });
    const json = modelToJSON(model);
    expect(json.config.head).toEqual({ layers: [{ out_features: 3, activation: 'tanh' }, { out_features: 1, activation: 'linear' }], over: 'sequence' });
    const back = modelFromJSON(JSON.parse(JSON.stringify(json)));
    expect(back.config).toEqual(model.config);
    for (const spec of paramSpecs(model.config)) expect(back.param(spec.name)).toEqual(model.param(spec.name));
  });
  it('refuses unknown keys in the head', () => {
    const json = modelToJSON(LSTM.random({ ...base, head: { layers: [{ outFeatures: 1 }] } })) as unknown as { config: { head: { layers: object[] } } };
    json.config.head.layers[0] = { out_features: 1, outFeatures: 1 };
    expect(errorOf(() => modelFromJSON(json)).message).toBe('config.head.layers[0].outFeatures: unknown key; expected out_features, activation');
  });
});

describe('seeded initialisation of a head', () => {
  it('keeps the LSTM\'s draws, and draws the head from nn.Linear\'s U(±1/√in)', () => {
    const plain = LSTM.random({ ...base, seed: 3 });
    const withHead = LSTM.random({ ...base, seed: 3, head: { layers: [{ outFeatures: 16 }, { outFeatures: 2 }] } });
    expect(withHead.param('weight_hh_l0')).toEqual(plain.param('weight_hh_l0'));
    const w0 = withHead.param('head.0.weight');
    expect(Math.max(...w0.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(4));
    expect(Math.max(...w0.map(Math.abs))).toBeGreaterThan(0.9 / Math.sqrt(4));
    expect(Math.max(...withHead.param('head.1.bias').map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(16));
  });
  it("'keras': glorot-uniform kernels, orthonormal recurrent columns, unit forget bias", () => {
    const H = 8;
    const I = 5;
    const model = LSTM.random({ inputSize: I, hiddenSize: H, numLayers: 2, seed: 9, init: 'keras', head: { layers: [{ outFeatures: 3 }] } });
    // W_hh [4H, H] is Keras's [H, 4H] orthogonal kernel transposed: W_hhᵀ W_hh = I_H.
    for (const name of ['weight_hh_l0', 'weight_hh_l1']) {
      const w = model.param(name);
      for (let a = 0; a < H; a++) {
        for (let b = 0; b < H; b++) {
          let dot = 0;
          for (let r = 0; r < 4 * H; r++) dot += w[r * H + a] * w[r * H + b];
          expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-12);
        }
      }
    }
    const limit = (fanIn: number, fanOut: number) => Math.sqrt(6 / (fanIn + fanOut));
    expect(Math.max(...model.param('weight_ih_l0').map(Math.abs))).toBeLessThanOrEqual(limit(I, 4 * H));
    expect(Math.max(...model.param('weight_ih_l1').map(Math.abs))).toBeLessThanOrEqual(limit(H, 4 * H));
    expect(Math.max(...model.param('head.0.weight').map(Math.abs))).toBeLessThanOrEqual(limit(H, 3));
    const forgetBlock = [...model.param('bias_ih_l0')].map((v, k) => (k >= H && k < 2 * H ? v - 1 : v));
    expect(forgetBlock.every((v) => v === 0)).toBe(true);
    expect(model.param('bias_hh_l1').every((v) => v === 0)).toBe(true);
    expect(model.param('head.0.bias').every((v) => v === 0)).toBe(true);
    expect(() => LSTM.random({ ...base, init: 'xavier' as 'keras' })).toThrow("init: expected 'pytorch' or 'keras', got \"xavier\"");
  });
});

describe('the forward pass of a model with a head', () => {
  it('returns the prediction in the caller\'s layout on the CPU', async () => {
    const model = LSTM.random({ ...base, batchFirst: true, head: { layers: [{ outFeatures: 2, activation: 'softmax' }], over: 'sequence' } });
    const runner = await (await createBackend({ prefer: 'cpu' })).load(model);
    const x = Float64Array.from({ length: 2 * 5 * 3 }, (_, k) => Math.cos(k));
    const result = await runner.forward(x, { steps: 5, batch: 2, lengths: [5, 2] });
    expect(result.prediction!.shape).toEqual([2, 5, 2]);
    // Past b = 1's length the LSTM output is zero, so its prediction is the head on the zero vector: softmax(b).
    const bias = model.param('head.0.bias');
    const e = bias.map(Math.exp);
    const expected = [e[0] / (e[0] + e[1]), e[1] / (e[0] + e[1])];
    const at = (b: number, t: number) => [...result.prediction!.data.subarray((b * 5 + t) * 2, (b * 5 + t + 1) * 2)];
    for (const t of [2, 3, 4]) at(1, t).forEach((v, k) => expect(v).toBeCloseTo(expected[k], 15));
    expect(at(0, 4)[0] + at(0, 4)[1]).toBeCloseTo(1, 15);
    const plain = await (await createBackend({ prefer: 'cpu' })).load(LSTM.random(base));
    expect((await plain.forward(new Float64Array(15), { steps: 5, batch: 1 })).prediction).toBeUndefined();
  });
  it('refuses results without a prediction from a backend that skips the head', async () => {
    const model = LSTM.random({ ...base, head: { layers: [{ outFeatures: 1 }] } });
    const skipping: BackendRunner = {
      kind: 'webgpu',
      gpuBytes: 0,
      run: async () => ({ output: new Float32Array(4), hN: new Float32Array(4), cN: new Float32Array(4), trace: null, stats: { backend: 'webgpu', dispatches: 2, submits: 1, readbacks: 1 } }),
      dispose: () => {},
    };
    const error = await frontRunner(model, skipping).forward(new Float64Array(3), { steps: 1, batch: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(LstmError);
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toBe('forward: the webgpu backend broke the result contract: prediction is missing');
  });
});

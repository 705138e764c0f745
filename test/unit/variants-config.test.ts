import { describe, expect, it } from 'vitest';
import { LSTM } from '../../src/model/lstm.js';
import { normalizeConfig, variantsOf } from '../../src/model/config.js';
import { paramSpecs } from '../../src/model/params.js';
import { modelFromJSON, modelToJSON } from '../../src/formats/model-json.js';
import { LstmError } from '../../src/core/errors.js';
import { createBackend } from '../../src/api/backend.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof LstmError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

describe('LSTM variants in the config', () => {
  it('a plain config has no variant fields, and defaults given explicitly normalize away', () => {
    const plain = normalizeConfig({ inputSize: 2, hiddenSize: 3 });
    expect(variantsOf(plain)).toEqual([]);
    const explicit = normalizeConfig({
      inputSize: 2,
      hiddenSize: 3,
      activations: { gate: 'sigmoid', candidate: { kind: 'tanh' }, cellOutput: 'tanh' },
      peepholes: false,
      cellClip: 0,
      inputForget: false,
      goBackwards: false,
      projSize: 0,
    });
    expect(explicit).toEqual(plain);
  });

  it('fills ONNX defaults for activation parameters; linear is affine(1, 0)', () => {
    const c = normalizeConfig({ inputSize: 1, hiddenSize: 2, activations: { gate: 'hard_sigmoid', candidate: 'linear', cellOutput: { kind: 'leaky_relu' } } });
    expect(c.activations).toEqual({
      gate: { kind: 'hard_sigmoid', alpha: 0.2, beta: 0.5 },
      candidate: { kind: 'affine', alpha: 1, beta: 0 },
      cellOutput: { kind: 'leaky_relu', alpha: 0.01 },
    });
    expect(variantsOf(c)).toEqual(['activations']);
  });

  it('refuses bad variant values naming the field', () => {
    expect(code(() => normalizeConfig({ inputSize: 1, hiddenSize: 2, activations: { gate: 'swish' as never } }))).toMatch(/INVALID_ARGUMENT: config.activations.gate: expected one of sigmoid, .* got "swish"/);
    expect(code(() => normalizeConfig({ inputSize: 1, hiddenSize: 2, activations: { gate: { kind: 'tanh', alpha: 2 } } }))).toMatch(/config.activations.gate.alpha: this activation takes no such parameter/);
    expect(code(() => normalizeConfig({ inputSize: 1, hiddenSize: 2, activations: { gate: { kind: 'elu', alpha: NaN } } }))).toMatch(/config.activations.gate.alpha: expected a finite number, got NaN/);
    expect(code(() => normalizeConfig({ inputSize: 1, hiddenSize: 2, cellClip: -1 }))).toMatch(/config.cellClip: expected a positive finite number/);
    expect(code(() => normalizeConfig({ inputSize: 1, hiddenSize: 2, projSize: 2 }))).toMatch(/config.projSize: expected an integer in \[1, 1\]/);
    expect(code(() => normalizeConfig({ inputSize: 1, hiddenSize: 2, goBackwards: true, bidirectional: true }))).toMatch(/config.goBackwards: a unidirectional option/);
    expect(code(() => normalizeConfig({ inputSize: 1, hiddenSize: 2, peepholes: 1 as never }))).toMatch(/config.peepholes: expected true or false, got 1/);
  });

  it('adds weight_hr and weight_peephole with PyTorch-style names and shapes; projSize narrows the next layer', () => {
    const c = normalizeConfig({ inputSize: 5, hiddenSize: 4, numLayers: 2, bidirectional: true, projSize: 3, peepholes: true, head: { layers: [{ outFeatures: 2 }] } });
    const specs = Object.fromEntries(paramSpecs(c).map((s) => [s.name, s.shape]));
    expect(specs).toMatchObject({
      weight_ih_l0: [16, 5],
      weight_hh_l0: [16, 3],
      weight_hr_l0: [3, 4],
      weight_peephole_l0: [12],
      weight_ih_l1_reverse: [16, 6],
      weight_hr_l1_reverse: [3, 4],
      'head.0.weight': [2, 6],
    });
    expect(paramSpecs(c).map((s) => s.name).slice(0, 6)).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_hr_l0', 'weight_peephole_l0']);
  });

  it('a plain model writes exactly the JSON it wrote before the variants existed', () => {
    const model = LSTM.random({ inputSize: 2, hiddenSize: 1, seed: 3 });
    const json = modelToJSON(model);
    expect(Object.keys(json.config)).toEqual(['input_size', 'hidden_size', 'num_layers', 'bidirectional', 'batch_first', 'bias']);
  });

  it('round-trips every variant through the model file exactly', () => {
    const model = LSTM.random({
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      seed: 7,
      activations: { gate: { kind: 'hard_sigmoid', alpha: 1 / 6, beta: 0.5 }, candidate: { kind: 'scaled_tanh', alpha: 2, beta: 0.5 }, cellOutput: 'softsign' },
      peepholes: true,
      cellClip: 2.5,
      inputForget: true,
      goBackwards: true,
      projSize: 2,
    });
    const json = modelToJSON(model);
    expect(json.config).toMatchObject({
      activations: { gate: { kind: 'hard_sigmoid', alpha: 1 / 6, beta: 0.5 }, candidate: { kind: 'scaled_tanh', alpha: 2, beta: 0.5 }, cell_output: 'softsign' },
      peepholes: true,
      cell_clip: 2.5,
      input_forget: true,
      go_backwards: true,
      proj_size: 2,
    });
    const back = modelFromJSON(JSON.parse(JSON.stringify(json)));
    expect(back.config).toEqual(model.config);
    expect(modelToJSON(back)).toEqual(json);
  });

  it('refuses unknown activation keys in the file', () => {
    const json = modelToJSON(LSTM.random({ inputSize: 1, hiddenSize: 2 })) as unknown as { config: Record<string, unknown> };
    json.config.activations = { gates: 'tanh' };
    expect(code(() => modelFromJSON(json))).toMatch(/config.activations.gates: unknown key; expected gate, candidate, cell_output/);
  });

  it('training refuses a model with variants, naming them', async () => {
    const backend = await createBackend({ prefer: 'cpu' });
    const model = LSTM.random({ inputSize: 1, hiddenSize: 2, cellClip: 3, goBackwards: true, head: { layers: [{ outFeatures: 1 }] } });
    await expect(backend.train(model, { loss: 'mse' })).rejects.toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
      message: 'train: training does not cover LSTM variants yet; this model has config.cellClip, config.goBackwards. It runs forward on the CPU backend',
    });
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { modelFromJSON } from '../../src/formats/model-json.js';
import type { LossKind } from '../../src/core/training.js';
import type { OptimizerOptions } from '../../src/api/train/types.js';

// The CPU backend against PyTorch 1.13 itself (test/fixtures/make_training_fixtures.py): torch.nn.LSTM,
// nn.Linear stacks, the torch losses, torch.optim and clip_grad_norm_, all in float64.

const kDir = join(import.meta.dirname, '../fixtures/training');
type TensorJSON = { shape: number[]; data: number[] };

interface Fixture {
  kind: 'gradients' | 'train' | 'fit';
  model: unknown;
  input: { x: TensorJSON; y: TensorJSON; lengths?: number[]; h0?: TensorJSON; c0?: TensorJSON };
  loss: LossKind;
  gradients?: { loss: number; prediction: TensorJSON; grads: Record<string, TensorJSON>; dx: TensorJSON; dh0: TensorJSON; dc0: TensorJSON };
  train?: { optimizer: OptimizerOptions; clipNorm?: number; singleBias?: boolean; steps: number };
  fit?: { optimizer: OptimizerOptions; epochs: number; batchSize: number; validationSplit: number };
  expected?: { losses?: number[]; history?: { loss: number[]; valLoss: number[] }; params: Record<string, TensorJSON> };
}

function load(name: string): Fixture {
  return JSON.parse(readFileSync(join(kDir, `${name}.json`), 'utf8'));
}

const names = (kind: Fixture['kind']) =>
  readdirSync(kDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .filter((n) => load(n).kind === kind);

/** max |a − e| relative to max |e| (the tensor's scale), so tiny entries of a large gradient are judged at its scale. */
function relativeError(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let k = 0; k < expected.length; k++) {
    diff = Math.max(diff, Math.abs(actual[k] - expected[k]));
    scale = Math.max(scale, Math.abs(expected[k]));
  }
  return scale === 0 ? diff : diff / scale;
}

function dataOptions(f: Fixture, batchFirst: boolean) {
  const [a, b] = f.input.x.shape;
  return {
    steps: batchFirst ? b : a,
    batch: batchFirst ? a : b,
    ...(f.input.lengths ? { lengths: f.input.lengths } : {}),
    ...(f.input.h0 ? { h0: f.input.h0.data, c0: f.input.c0!.data } : {}),
  };
}

describe('CPU gradients vs PyTorch', () => {
  it.each(names('gradients'))('%s', async (name) => {
    const f = load(name);
    const model = modelFromJSON(f.model);
    const backend = await createBackend({ prefer: 'cpu' });
    const trainer = await backend.train(model, { loss: f.loss });
    const options = dataOptions(f, model.config.batchFirst);
    const g = await trainer.gradients(f.input.x.data, f.input.y.data, options);
    const e = f.gradients!;
    expect(Math.abs(g.loss - e.loss) / Math.abs(e.loss)).toBeLessThan(1e-12);
    const prediction = await trainer.predict(f.input.x.data, options);
    expect(prediction.shape).toEqual(e.prediction.shape);
    expect(relativeError(prediction.data, e.prediction.data)).toBeLessThan(1e-12);
    expect([...g.grads.keys()]).toEqual(Object.keys(e.grads));
    for (const [param, grad] of g.grads) {
      expect(grad.shape, param).toEqual(e.grads[param].shape);
      expect(relativeError(grad.data, e.grads[param].data), param).toBeLessThan(1e-9);
    }
    for (const key of ['dx', 'dh0', 'dc0'] as const) {
      expect(g[key].shape, key).toEqual(e[key].shape);
      expect(relativeError(g[key].data, e[key].data), key).toBeLessThan(1e-9);
    }
  });
});

describe('CPU training steps vs torch.optim', () => {
  it.each(names('train'))('%s', async (name) => {
    const f = load(name);
    const model = modelFromJSON(f.model);
    const spec = f.train!;
    const backend = await createBackend({ prefer: 'cpu' });
    const trainer = await backend.train(model, { loss: f.loss, optimizer: spec.optimizer, clipNorm: spec.clipNorm, singleBias: spec.singleBias });
    const [a, b] = f.input.x.shape;
    const B = model.config.batchFirst ? a : b;
    // Full-batch steps: one minibatch per epoch, in order.
    const history = await trainer.fit(f.input.x.data, f.input.y.data, { ...dataOptions(f, model.config.batchFirst), epochs: spec.steps, batchSize: B, shuffle: false });
    history.loss.forEach((loss, k) => expect(Math.abs(loss - f.expected!.losses![k]) / Math.abs(f.expected!.losses![k])).toBeLessThan(1e-9));
    const trained = await trainer.model();
    for (const [param, expected] of Object.entries(f.expected!.params)) {
      expect(relativeError(trained.param(param), expected.data), param).toBeLessThan(1e-8);
    }
  });
});

describe('CPU fit (minibatches, validation split, no shuffle) vs a PyTorch loop', () => {
  it.each(names('fit'))('%s', async (name) => {
    const f = load(name);
    const model = modelFromJSON(f.model);
    const spec = f.fit!;
    const backend = await createBackend({ prefer: 'cpu' });
    const trainer = await backend.train(model, { loss: f.loss, optimizer: spec.optimizer });
    const history = await trainer.fit(f.input.x.data, f.input.y.data, {
      ...dataOptions(f, model.config.batchFirst),
      epochs: spec.epochs,
      batchSize: spec.batchSize,
      validationSplit: spec.validationSplit,
      shuffle: false,
    });
    expect(relativeError(history.loss, f.expected!.history!.loss)).toBeLessThan(1e-9);
    expect(relativeError(history.valLoss!, f.expected!.history!.valLoss)).toBeLessThan(1e-9);
    const trained = await trainer.model();
    for (const [param, expected] of Object.entries(f.expected!.params)) {
      expect(relativeError(trained.param(param), expected.data), param).toBeLessThan(1e-8);
    }
  });
});

import './dawn-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { modelFromJSON } from '../../src/formats/model-json.js';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { fixtureDataOptions, loadTrainingFixture, scaledError, trainingFixtureNames } from '../support/training-fixtures.js';
import { openDawn } from './dawn-env.js';

// GPU training steps (Adam, AdamW, SGD with momentum, L2, clipping, singleBias) against the CPU's
// float64 steps, which match torch.optim to 1e-8 (test/unit/train-fixtures.test.ts): after every
// fixture's steps, each parameter within about 1e-4 of the CPU's, and the per-epoch losses too.

let gpu: NodeBackend;
beforeAll(async () => {
  gpu = await openDawn();
});
afterAll(async () => {
  await gpu?.close();
});

async function both<T>(f: (backend: { train: NodeBackend['train'] }) => Promise<T>): Promise<[T, T]> {
  return [await f(await createBackend({ prefer: 'cpu' })), await f(gpu)];
}

describe('GPU training steps vs the CPU on the PyTorch fixtures', () => {
  it.each(trainingFixtureNames('train'))('%s', async (name) => {
    const f = loadTrainingFixture(name);
    const model = modelFromJSON(f.model);
    const spec = f.train!;
    const options = fixtureDataOptions(f, model.config.batchFirst);
    const [cpu, webgpu] = await both(async (backend) => {
      const trainer = await backend.train(model, { loss: f.loss, optimizer: spec.optimizer, clipNorm: spec.clipNorm, singleBias: spec.singleBias });
      const history = await trainer.fit(f.input.x.data, f.input.y.data, { ...options, epochs: spec.steps, batchSize: options.batch, shuffle: false });
      const trained = await trainer.model();
      trainer.dispose();
      return { history, trained };
    });
    expect(scaledError(webgpu.history.loss, cpu.history.loss), 'losses').toBeLessThan(1e-4);
    for (const [param, tensor] of cpu.trained.tensors()) {
      expect(scaledError(webgpu.trained.param(param), tensor.data), param).toBeLessThan(1e-4);
    }
  });

  it.each(trainingFixtureNames('fit'))('fit: %s (minibatches, validation split)', async (name) => {
    const f = loadTrainingFixture(name);
    const model = modelFromJSON(f.model);
    const spec = f.fit!;
    const options = { ...fixtureDataOptions(f, model.config.batchFirst), epochs: spec.epochs, batchSize: spec.batchSize, validationSplit: spec.validationSplit, shuffle: false };
    const [cpu, webgpu] = await both(async (backend) => {
      const trainer = await backend.train(model, { loss: f.loss, optimizer: spec.optimizer });
      const history = await trainer.fit(f.input.x.data, f.input.y.data, options);
      const trained = await trainer.model();
      trainer.dispose();
      return { history, trained };
    });
    expect(scaledError(webgpu.history.loss, cpu.history.loss), 'loss').toBeLessThan(1e-4);
    expect(scaledError(webgpu.history.valLoss!, cpu.history.valLoss!), 'valLoss').toBeLessThan(1e-4);
    for (const [param, tensor] of cpu.trained.tensors()) {
      expect(scaledError(webgpu.trained.param(param), tensor.data), param).toBeLessThan(1e-4);
    }
  });
});

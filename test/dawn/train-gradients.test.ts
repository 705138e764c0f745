import './dawn-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { modelFromJSON } from '../../src/formats/model-json.js';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { fixtureDataOptions, loadTrainingFixture, scaledError, trainingFixtureNames } from '../support/training-fixtures.js';
import { openDawn } from './dawn-env.js';

// WebGPU gradients (float32, on Dawn) against the float64 CPU reference, which itself matches
// PyTorch to 1e-9 on these fixtures (test/unit/train-fixtures.test.ts): every parameter, dx, dh0
// and dc0 within 1e-4 × max(1, max |g|), the loss and the prediction likewise.

let gpu: NodeBackend;
beforeAll(async () => {
  gpu = await openDawn();
});
afterAll(async () => {
  await gpu?.close();
});

// Each fixture on both backward paths: the persistent reverse walk and one dispatch per step.
const kCases = trainingFixtureNames('gradients').flatMap((name) => (['sequence', 'steps'] as const).map((recurrence) => [name, recurrence] as const));

describe('GPU gradients vs the CPU on the PyTorch fixtures', () => {
  it.each(kCases)('%s (%s)', async (name, recurrence) => {
    const f = loadTrainingFixture(name);
    const model = modelFromJSON(f.model);
    const options = fixtureDataOptions(f, model.config.batchFirst);
    const cpu = await (await createBackend({ prefer: 'cpu' })).train(model, { loss: f.loss });
    const trainer = await gpu.train(model, { loss: f.loss, recurrence });
    try {
      const expected = await cpu.gradients(f.input.x.data, f.input.y.data, options);
      const actual = await trainer.gradients(f.input.x.data, f.input.y.data, options);
      expect(scaledError([actual.loss], [expected.loss]), 'loss').toBeLessThan(1e-4);
      expect([...actual.grads.keys()]).toEqual([...expected.grads.keys()]);
      for (const [param, grad] of expected.grads) {
        expect(actual.grads.get(param)!.shape, param).toEqual(grad.shape);
        expect(scaledError(actual.grads.get(param)!.data, grad.data), param).toBeLessThan(1e-4);
      }
      for (const key of ['dx', 'dh0', 'dc0'] as const) expect(scaledError(actual[key].data, expected[key].data), key).toBeLessThan(1e-4);
      const prediction = await trainer.predict(f.input.x.data, options);
      const cpuPrediction = await cpu.predict(f.input.x.data, options);
      expect(prediction.shape).toEqual(cpuPrediction.shape);
      expect(scaledError(prediction.data, cpuPrediction.data), 'prediction').toBeLessThan(1e-4);
    } finally {
      trainer.dispose();
      cpu.dispose();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/api/backend.js';
import { modelFromJSON } from '../../src/formats/model-json.js';
import { fixtureDataOptions, loadTrainingFixture, scaledError, trainingFixtureNames } from '../support/training-fixtures.js';

// Training on the wasm engine (float32) against PyTorch 1.13 in float64 (the fixtures of
// test/fixtures/make_training_fixtures.py): gradients, dx, dh0, dc0, the loss and the prediction
// within 1e-4 × max(1, max |expected|) — the GPU's bound (docs/training.md) — on one thread and on
// two. Calls this small run on one thread even then (src/wasm/plan/split.ts); the shared paths are
// tested in thread-splits.test.ts.

const kTolerance = 1e-4;

interface GradientFixture {
  gradients: { loss: number; prediction: { data: number[] }; grads: Record<string, { shape: number[]; data: number[] }>; dx: { data: number[] }; dh0: { data: number[] }; dc0: { data: number[] } };
  expected: { losses: number[]; params: Record<string, { data: number[] }> };
}

for (const threads of [1, 2]) {
  describe(`wasm training vs PyTorch, ${threads} thread${threads > 1 ? 's' : ''}`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await createBackend({ prefer: 'wasm', threads });
    });
    afterAll(() => backend?.dispose());

    it.each(trainingFixtureNames('gradients'))('gradients: %s', async (name) => {
      const f = loadTrainingFixture(name);
      const e = (f as unknown as GradientFixture).gradients;
      const model = modelFromJSON(f.model);
      const options = fixtureDataOptions(f, model.config.batchFirst);
      const trainer = await backend.train(model, { loss: f.loss });
      try {
        const g = await trainer.gradients(f.input.x.data, f.input.y.data, options);
        expect(scaledError([g.loss], [e.loss]), 'loss').toBeLessThan(kTolerance);
        expect([...g.grads.keys()]).toEqual(Object.keys(e.grads));
        for (const [param, grad] of g.grads) {
          expect(grad.shape, param).toEqual(e.grads[param].shape);
          expect(scaledError(grad.data, e.grads[param].data), param).toBeLessThan(kTolerance);
        }
        for (const key of ['dx', 'dh0', 'dc0'] as const) expect(scaledError(g[key].data, e[key].data), key).toBeLessThan(kTolerance);
        const prediction = await trainer.predict(f.input.x.data, options);
        expect(scaledError(prediction.data, e.prediction.data), 'prediction').toBeLessThan(kTolerance);
      } finally {
        trainer.dispose();
      }
    });

    it.each(trainingFixtureNames('train'))('optimizer steps: %s', async (name) => {
      const f = loadTrainingFixture(name);
      const e = (f as unknown as GradientFixture).expected;
      const model = modelFromJSON(f.model);
      const spec = f.train!;
      const trainer = await backend.train(model, { loss: f.loss, optimizer: spec.optimizer, clipNorm: spec.clipNorm, singleBias: spec.singleBias });
      try {
        const options = fixtureDataOptions(f, model.config.batchFirst);
        const history = await trainer.fit(f.input.x.data, f.input.y.data, { ...options, epochs: spec.steps, batchSize: options.batch, shuffle: false });
        expect(scaledError(history.loss, e.losses), 'losses').toBeLessThan(kTolerance);
        const trained = await trainer.model();
        for (const [param, expected] of Object.entries(e.params)) expect(scaledError(trained.param(param), expected.data), param).toBeLessThan(kTolerance);
      } finally {
        trainer.dispose();
      }
    });
  });
}

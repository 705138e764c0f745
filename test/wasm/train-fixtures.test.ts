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

    // The trainer keeps one model whose parameters the optimizer changes in place; every pass after
    // a step must see the new values, whichever pass (forward only, or for backward) packed last.
    it.each(trainingFixtureNames('train'))('predict, fit, gradients, fit, predict in turn see the trained parameters: %s', async (name) => {
      const f = loadTrainingFixture(name);
      const model = modelFromJSON(f.model);
      const spec = f.train!;
      const options = fixtureDataOptions(f, model.config.batchFirst);
      const setup = { loss: f.loss, optimizer: spec.optimizer, clipNorm: spec.clipNorm, singleBias: spec.singleBias };
      const cpu = await createBackend({ prefer: 'cpu' });
      const [onWasm, onCpu] = await Promise.all([backend.train(model, setup), cpu.train(model, setup)]);
      try {
        const { x, y } = f.input;
        for (const trainer of [onWasm, onCpu]) {
          await trainer.predict(x.data, options);
          await trainer.fit(x.data, y.data, { ...options, epochs: 2, batchSize: options.batch, shuffle: false });
        }
        const [got, want] = await Promise.all([onWasm.gradients(x.data, y.data, options), onCpu.gradients(x.data, y.data, options)]);
        for (const [param, grad] of want.grads) expect(scaledError(got.grads.get(param)!.data, grad.data), param).toBeLessThan(kTolerance);
        for (const trainer of [onWasm, onCpu]) await trainer.fit(x.data, y.data, { ...options, epochs: 1, batchSize: options.batch, shuffle: false });
        const [predicted, reference] = await Promise.all([onWasm.predict(x.data, options), onCpu.predict(x.data, options)]);
        expect(scaledError(predicted.data, reference.data), 'prediction').toBeLessThan(kTolerance);
        // What gradients() returned is the caller's: the step since did not write over it.
        for (const [param, grad] of want.grads) expect(scaledError(got.grads.get(param)!.data, grad.data), `${param}, kept`).toBeLessThan(kTolerance);
      } finally {
        onWasm.dispose();
        onCpu.dispose();
        cpu.dispose();
      }
    });
  });
}

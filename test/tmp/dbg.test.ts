import { it } from 'vitest';
import { createBackend } from '/work/main/src/api/backend.js';
import { modelFromJSON } from '/work/main/src/formats/model-json.js';
import { fixtureDataOptions, loadTrainingFixture, scaledError, trainingFixtureNames } from '/work/main/test/support/training-fixtures.js';
it('dbg', async () => {
  const backend = await createBackend({ prefer: 'wasm', threads: 2 });
  console.log(backend.kind, backend.reason);
  for (const name of trainingFixtureNames('gradients')) {
    const f = loadTrainingFixture(name); const e = (f as any).gradients;
    const model = modelFromJSON(f.model);
    const t = await backend.train(model, { loss: f.loss });
    const g = await t.gradients(f.input.x.data, f.input.y.data, fixtureDataOptions(f, model.config.batchFirst));
    let worst = 0; for (const [p, gr] of g.grads) worst = Math.max(worst, scaledError(gr.data, e.grads[p].data));
    console.log(name, model.config.numLayers, model.config.bidirectional, !!f.input.lengths, model.config.head?.over, worst.toExponential(2), scaledError(g.dx.data, e.dx.data).toExponential(2));
  }
});

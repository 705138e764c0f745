import { describe, expect, it } from 'vitest';
import { fixtureDataOptions, loadTrainingFixture, trainingFixtureNames } from '../support/training-fixtures.js';
import { useKitSession, type KitWindow } from '../support/page-kit.js';

// The WebGPU training backend in headless Chromium (SwiftShader): on every PyTorch gradient
// fixture, the GPU's loss, parameter gradients, dx, dh0 and dc0 within 1e-4 × max(1, max |g|) of
// the float64 CPU's, computed in the same page. (test/dawn/train-*.test.ts cover the rest on Dawn.)

const session = useKitSession();

describe('GPU gradients in Chromium vs the CPU on the PyTorch fixtures', () => {
  it.each(trainingFixtureNames('gradients'))('%s', async (name) => {
    const f = loadTrainingFixture(name);
    const errors = await session().page.evaluate(
      async (json, loss, x, y, options) => {
        const lib = (window as unknown as KitWindow).webgpuLstm;
        const model = lib.modelFromJSON(json);
        const scaled = (a: ArrayLike<number>, e: ArrayLike<number>) => {
          let diff = 0;
          let scale = 1;
          for (let k = 0; k < e.length; k++) {
            const d = Math.abs(a[k] - e[k]);
            diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
            scale = Math.max(scale, Math.abs(e[k]));
          }
          return a.length === e.length ? diff / scale : Infinity;
        };
        const [gpu, cpu] = await Promise.all([lib.createBackend({ prefer: 'webgpu' }), lib.createBackend({ prefer: 'cpu' })]);
        const [g, c] = await Promise.all([gpu, cpu].map(async (backend) => (await backend.train(model, { loss })).gradients(x, y, options)));
        const out: Record<string, number> = { loss: scaled([g.loss], [c.loss]) };
        for (const [param, grad] of c.grads) out[param] = scaled(g.grads.get(param)!.data, grad.data);
        for (const key of ['dx', 'dh0', 'dc0'] as const) out[key] = scaled(g[key].data, c[key].data);
        gpu.dispose();
        return out;
      },
      f.model as never, f.loss, f.input.x.data, f.input.y.data, fixtureDataOptions(f, (f.model as { config: { batch_first?: boolean } }).config.batch_first ?? false),
    );
    for (const [what, error] of Object.entries(errors)) expect(error, what).toBeLessThan(1e-4);
  });
});

describe('the dense head in a plain WebGPU forward call in Chromium', () => {
  it("gives the CPU's prediction (1e-5): bidirectional with lengths, relu then softmax over 'sequence'", async () => {
    const error = await session().page.evaluate(async () => {
      const lib = (window as unknown as KitWindow).webgpuLstm;
      const head = { over: 'sequence' as const, layers: [{ outFeatures: 5, activation: 'relu' as const }, { outFeatures: 3, activation: 'softmax' as const }] };
      const model = lib.LSTM.random({ inputSize: 3, hiddenSize: 6, bidirectional: true, head, seed: 9 });
      const x = Float64Array.from({ length: 4 * 2 * 3 }, (_, i) => Math.sin(0.7 * i));
      const options = { steps: 4, batch: 2, lengths: [4, 2] };
      const [gpu, cpu] = await Promise.all([lib.createBackend({ prefer: 'webgpu' }), lib.createBackend({ prefer: 'cpu' })]);
      const [g, c] = await Promise.all([gpu, cpu].map(async (backend) => (await backend.load(model)).forward(x, options)));
      gpu.dispose();
      if (!g.prediction || !c.prediction || g.prediction.data.length !== c.prediction.data.length) return Infinity;
      let worst = 0;
      for (let k = 0; k < c.prediction.data.length; k++) worst = Math.max(worst, Math.abs(g.prediction.data[k] - c.prediction.data[k]));
      return worst;
    });
    expect(error).toBeLessThan(1e-5);
  });
});

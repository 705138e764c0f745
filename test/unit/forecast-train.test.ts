import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { forecastModel, predictSeries, recursiveForecast, runForecast } from '../../src/forecast/forecaster.js';
import { kRecipes, resolveForecastOptions } from '../../src/forecast/recipe.js';
import { invertStep, scale, unscale } from '../../src/forecast/transform.js';

// One forecast run through the public trainer on the CPU backend: determinism (the same seed gives
// the same weights and the same loss curve), the summary's parts, the recursive forecast, Stop.
// The same-curve check across backends waits for WebGPU training (test/gpu).

const series = Array.from({ length: 72 }, (_, t) => 50 + 10 * Math.sin((2 * Math.PI * t) / 12) + 0.3 * t);
const small = resolveForecastOptions('default', { units: 6, epochs: 3, batchSize: 8 });

describe('forecast recipes', () => {
  it('default is diff, 200 epochs, lr 5e-3, batch 16; seed003 is the notebook as written', () => {
    expect(kRecipes.default).toMatchObject({ transform: 'diff', epochs: 200, lr: 5e-3, batchSize: 16, window: 12, units: 50, testFraction: 0.33, season: 12 });
    expect(kRecipes.seed003).toMatchObject({ transform: 'none', epochs: 50, lr: 1e-3, batchSize: 32, window: 12, units: 50 });
  });

  it('takes overrides on top of a recipe and checks them by flag name', () => {
    expect(resolveForecastOptions('seed003', { epochs: 7, lr: undefined })).toMatchObject({ epochs: 7, lr: 1e-3, transform: 'none' });
    expect(() => resolveForecastOptions('default', { lr: 0 })).toThrow('--lr: expected a positive number, got 0');
    expect(() => resolveForecastOptions('default', { units: 2.5 })).toThrow('--units: expected an integer ≥ 1, got 2.5');
    expect(() => resolveForecastOptions('keras' as never)).toThrow('--recipe: expected one of default, seed003, got "keras"');
  });
});

describe('a forecast run on the CPU', () => {
  it('the same seed gives the same initial weights; another seed others', () => {
    const a = forecastModel({ units: 5, seed: 3 });
    const b = forecastModel({ units: 5, seed: 3 });
    const c = forecastModel({ units: 5, seed: 4 });
    for (const [name, tensor] of a.tensors()) expect(b.param(name)).toEqual(tensor.data);
    expect(c.param('weight_ih_l0')).not.toEqual(a.param('weight_ih_l0'));
  });

  it('the same seed gives the same loss curve, bit for bit', async () => {
    const backend = await createBackend({ prefer: 'cpu' });
    const runs = [await runForecast(backend, series, small), await runForecast(backend, series, small)];
    const other = await runForecast(backend, series, { ...small, seed: 1 });
    expect(runs[1].history).toEqual(runs[0].history);
    expect(runs[1].testRmse).toBe(runs[0].testRmse);
    expect(other.history.loss).not.toEqual(runs[0].history.loss);
    expect(runs[0].history.loss).toHaveLength(3);
    expect(runs[0].history.valLoss).toHaveLength(3);
    for (const run of [...runs, other]) run.trainer.dispose();
  });

  it('reports RMSEs in the series units and the baselines on the test windows', async () => {
    const backend = await createBackend({ prefer: 'cpu' });
    const epochs: number[] = [];
    const run = await runForecast(backend, series, small, { onEpochEnd: (epoch) => void epochs.push(epoch) });
    expect(epochs).toEqual([0, 1, 2]);
    expect(run.backend).toBe('cpu');
    expect(run.trainPrediction.length).toBe(run.data.train.targets.length);
    expect(run.testPrediction.length).toBe(run.data.test.targets.length);
    expect(run.data.test.targets[0]).toBe(Math.floor(72 * 0.67));
    // Persistence by hand: the test part's own one-step differences.
    const t0 = run.data.split;
    const squares = series.slice(t0).map((v, k) => (v - series[t0 + k - 1]) ** 2);
    expect(run.persistenceRmse).toBeCloseTo(Math.sqrt(squares.reduce((a, b) => a + b) / squares.length), 12);
    expect(Number.isFinite(run.trainRmse) && Number.isFinite(run.testRmse) && run.seconds > 0).toBe(true);
    run.trainer.dispose();
  });

  it('the recursive forecast starts with the one-step prediction from the last window, then feeds itself', async () => {
    const backend = await createBackend({ prefer: 'cpu' });
    const run = await runForecast(backend, series, small);
    const { data, trainer } = run;
    const ahead = await recursiveForecast(trainer, data, 3);
    const W = small.window;
    const last = Float64Array.from(data.z.subarray(series.length - W), (z) => scale(data.scaler, z));
    const first = (await trainer.predict(last, { steps: W, batch: 1 })).data[0];
    expect(ahead[0]).toBeCloseTo(invertStep('diff', unscale(data.scaler, first), series.at(-1)!), 10);
    const second = (await trainer.predict(Float64Array.of(...last.subarray(1), first), { steps: W, batch: 1 })).data[0];
    expect(ahead[1]).toBeCloseTo(invertStep('diff', unscale(data.scaler, second), ahead[0]), 10);
    // One step ahead over the test windows is what predictSeries gives.
    expect(await predictSeries(trainer, data, data.test)).toEqual(run.testPrediction);
    trainer.dispose();
  });

  it('stops between minibatches when its signal aborts', async () => {
    const backend = await createBackend({ prefer: 'cpu' });
    const controller = new AbortController();
    const stopped = runForecast(backend, series, { ...small, epochs: 50 }, {
      signal: controller.signal,
      onEpochEnd: (epoch) => {
        if (epoch === 1) controller.abort(new Error('stopped by the user'));
      },
    });
    await expect(stopped).rejects.toThrow('stopped by the user');
  });
});

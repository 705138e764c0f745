import './dawn-env.js';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { kBirthsPackage, monthlyBirths, type BirthsObservation } from '../../src/forecast/births.js';
import { forecastModel, forecastTrainOptions, runForecast } from '../../src/forecast/forecaster.js';
import { resolveForecastOptions } from '../../src/forecast/recipe.js';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { scaledError } from '../support/training-fixtures.js';
import { openDawn } from './dawn-env.js';

// Issue 13: the same seed gives the same initial weights and, to float32 precision, the same loss
// curve on both backends — the default forecast recipe on the monthly births series, a few epochs.

let gpu: NodeBackend;
beforeAll(async () => {
  gpu = await openDawn();
});
afterAll(async () => {
  await gpu?.close();
});

const dataset = createRequire(import.meta.url)(kBirthsPackage) as () => BirthsObservation[];
const births = monthlyBirths(dataset()).values;
const options = resolveForecastOptions('default', { epochs: 4, seed: 7 });

describe('a forecast on WebGPU and on the CPU', () => {
  it('starts from the same weights (float32 on the GPU)', async () => {
    const model = forecastModel(options);
    const [cpu, webgpu] = [await (await createBackend({ prefer: 'cpu' })).train(model, forecastTrainOptions(options)), await gpu.train(model, forecastTrainOptions(options))];
    const [a, b] = [await cpu.model(), await webgpu.model()];
    for (const [name, tensor] of a.tensors()) expect(b.param(name), name).toEqual(Float64Array.from(Float32Array.from(tensor.data)));
    cpu.dispose();
    webgpu.dispose();
  });

  it('follows the same loss curve and scores alike', async () => {
    const cpu = await runForecast(await createBackend({ prefer: 'cpu' }), births, options);
    const webgpu = await runForecast(gpu, births, options);
    expect(webgpu.backend).toBe('webgpu');
    const lossError = scaledError(webgpu.history.loss, cpu.history.loss);
    const valError = scaledError(webgpu.history.valLoss!, cpu.history.valLoss!);
    console.log(`forecast parity: loss ${cpu.history.loss.join(', ')}; max scaled difference loss ${lossError.toExponential(2)}, val ${valError.toExponential(2)}; test RMSE cpu ${cpu.testRmse} webgpu ${webgpu.testRmse}`);
    expect(lossError).toBeLessThan(1e-5);
    expect(valError).toBeLessThan(1e-5);
    expect(Math.abs(webgpu.testRmse - cpu.testRmse) / cpu.testRmse).toBeLessThan(1e-3);
    cpu.trainer.dispose();
    webgpu.trainer.dispose();
  });
});

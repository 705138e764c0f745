import './dawn-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LSTM } from '../../src/model/lstm.js';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { openDawn } from './dawn-env.js';

// The first epoch costs what later ones cost once the trainer is warm: its pipelines are compiled
// once per model (not per minibatch shape), and warmup({ steps, batch }) compiles them up front.
// Counted, not timed: the pipelines the device compiles during fit.

let gpu: NodeBackend;
beforeAll(async () => {
  gpu = await openDawn();
});
afterAll(async () => {
  await gpu?.close();
});

/** Counts the device's pipeline compilations while `work` runs. */
async function compilations(device: GPUDevice, work: () => Promise<unknown>): Promise<number> {
  const original = device.createComputePipelineAsync;
  const originalSync = device.createComputePipeline;
  let count = 0;
  device.createComputePipelineAsync = function (this: GPUDevice, descriptor) {
    count += 1;
    return original.call(this, descriptor);
  };
  device.createComputePipeline = function (this: GPUDevice, descriptor) {
    count += 1;
    return originalSync.call(this, descriptor);
  };
  try {
    await work();
  } finally {
    device.createComputePipelineAsync = original;
    device.createComputePipeline = originalSync;
  }
  return count;
}

describe('trainer.warmup and pipelines per model', () => {
  // 40 sequences in minibatches of 16: two of 16, then one of 8 (another shape, another batch tile
  // before the fix, whose kernels were compiled inside the first epoch).
  const [T, N, H] = [6, 40, 24];
  const model = LSTM.random({ inputSize: 2, hiddenSize: H, head: { layers: [{ outFeatures: 1 }] }, seed: 2 });
  const x = Float64Array.from({ length: T * N * 2 }, (_, i) => Math.sin(i / 3));
  const y = Float64Array.from({ length: N }, (_, i) => Math.cos(i));

  it('after warmup({ steps, batch }), fit compiles no pipeline, its last smaller minibatch included', async () => {
    const trainer = await gpu.train(model, { loss: 'mse' });
    try {
      const before = await trainer.model();
      const warming = await compilations(gpu.device!, () => trainer.warmup({ steps: T, batch: 16 }));
      expect(warming).toBeGreaterThan(0);
      // warmup changed nothing: the parameters are still the model's (float32 copies).
      const after = await trainer.model();
      for (const [name, t] of before.tensors()) expect(Array.from(after.param(name)), name).toEqual(Array.from(t.data));
      const during = await compilations(gpu.device!, () => trainer.fit(x, y, { steps: T, batch: N, epochs: 2, batchSize: 16, shuffle: false }));
      expect(during).toBe(0);
    } finally {
      trainer.dispose();
    }
  });

  it('a bad warmup shape is an INVALID_ARGUMENT naming it', async () => {
    const trainer = await gpu.train(model, { loss: 'mse' });
    try {
      await expect(trainer.warmup({ steps: 0, batch: 4 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^options\.steps: /) });
    } finally {
      trainer.dispose();
    }
  });
});

import './dawn-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import type { TrainOptions } from '../../src/api/train/types.js';
import { LSTM } from '../../src/model/lstm.js';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { openDawn } from './dawn-env.js';

// Training you can trust: a step never silently does nothing. Both backends, the same data.

let gpu: NodeBackend;
beforeAll(async () => {
  gpu = await openDawn();
});
afterAll(async () => {
  await gpu?.close();
});

const kShape = { inputSize: 2, hiddenSize: 4, head: { layers: [{ outFeatures: 1 }] } };
const [T, B] = [3, 2];
const x = Float64Array.from({ length: T * B * 2 }, (_, i) => Math.sin(i + 1));

async function trainOnce(backend: { train: NodeBackend['train'] }, model: LSTM, y: number[], options: TrainOptions) {
  const trainer = await backend.train(model, options);
  try {
    const history = await trainer.fit(x, y, { steps: T, batch: B, epochs: 1, batchSize: B, shuffle: false });
    return { history, params: (await trainer.model()).tensors() };
  } finally {
    trainer.dispose();
  }
}

function change(before: LSTM, after: Map<string, { data: Float64Array }>): number {
  let sum = 0;
  for (const [name, t] of before.tensors()) t.data.forEach((v, k) => (sum += (after.get(name)!.data[k] - v) ** 2));
  return Math.sqrt(sum);
}

describe('clipNorm with a global norm past float32 (Σ g² overflows, every g finite)', () => {
  // Targets of 1e19 and a head of weights ≈ 100: the loss (1e38) and every gradient (≤ 2.2e20)
  // are finite in float32, but Σ g² (2.6e41) is not. Clipped to norm 1, one SGD step of lr 0.1
  // moves the parameters by 0.1. Before the overflow-safe norm, the GPU's step moved nothing.
  const base = LSTM.random({ ...kShape, seed: 4 });
  const tensors = base.tensors();
  tensors.get('head.0.weight')!.data.forEach((v, k, w) => (w[k] = 100 * v));
  const model = new LSTM(base.config, tensors);
  const y = [1e19, 1e19];
  const options: TrainOptions = { loss: 'mse', optimizer: { kind: 'sgd', lr: 0.1 }, clipNorm: 1 };

  it('the premise: every gradient and the loss finite in float32, Σ g² past float32', async () => {
    const trainer = await (await createBackend({ prefer: 'cpu' })).train(model, { loss: 'mse' });
    const { loss, grads } = await trainer.gradients(x, y, { steps: T, batch: B });
    const all = [...grads.values()].flatMap((g) => Array.from(g.data));
    expect(Math.fround(loss)).toBeLessThan(Infinity);
    expect(Math.max(...all.map(Math.abs))).toBeLessThan(3.4e38);
    expect(all.reduce((sum, g) => sum + g * g, 0)).toBeGreaterThan(3.5e38);
  });

  it.each(['cpu', 'webgpu'] as const)('%s: the step moves the parameters by lr · clipNorm, and the loss is finite', async (kind) => {
    const backend = kind === 'cpu' ? await createBackend({ prefer: 'cpu' }) : gpu;
    const { history, params } = await trainOnce(backend, model, y, options);
    expect(Number.isFinite(history.loss[0])).toBe(true);
    expect(history.nonFiniteGradients).toEqual([0]);
    expect(history.skippedUpdates).toEqual([0]);
    expect(change(model, params)).toBeCloseTo(0.1, kind === 'cpu' ? 9 : 3);
  });

  it('the GPU step equals the float64 CPU step', async () => {
    const [cpu, onGpu] = [await trainOnce(await createBackend({ prefer: 'cpu' }), model, y, options), await trainOnce(gpu, model, y, options)];
    for (const [name, t] of cpu.params) t.data.forEach((v, k) => expect(Math.abs(onGpu.params.get(name)!.data[k] - v), `${name}[${k}]`).toBeLessThan(1e-4));
  });
});

describe('a step with a non-finite gradient', () => {
  // A NaN in one head weight makes the prediction, the loss and the gradients NaN.
  const base = LSTM.random({ ...kShape, seed: 6 });
  const tensors = base.tensors();
  tensors.get('head.0.weight')!.data[1] = NaN;
  const model = new LSTM(base.config, tensors, { nonFinite: 'propagate' });
  const y = [0.5, -0.5];

  it.each(['cpu', 'webgpu'] as const)('%s: is skipped (no NaN reaches another parameter) and counted in the history', async (kind) => {
    const backend = kind === 'cpu' ? await createBackend({ prefer: 'cpu' }) : gpu;
    const { history, params } = await trainOnce(backend, model, y, { loss: 'mse', optimizer: { kind: 'adam', lr: 0.01 } });
    expect(history.skippedUpdates).toEqual([1]);
    expect(history.nonFiniteGradients[0]).toBeGreaterThan(0);
    for (const [name, t] of model.tensors()) {
      // Untouched: the CPU's float64 values, the GPU's float32 copies of them.
      t.data.forEach((v, k) => (Number.isNaN(v) ? expect(params.get(name)!.data[k]).toBeNaN() : expect(params.get(name)!.data[k], `${name}[${k}]`).toBe(kind === 'cpu' ? v : Math.fround(v))));
    }
  });

  it.each(['cpu', 'webgpu'] as const)("%s: nonFiniteGradients 'error' rejects fit with NON_FINITE naming epoch and minibatch", async (kind) => {
    const backend = kind === 'cpu' ? await createBackend({ prefer: 'cpu' }) : gpu;
    const error = await trainOnce(backend, model, y, { loss: 'mse', nonFiniteGradients: 'error' }).catch((e) => e);
    expect(error.code).toBe('NON_FINITE');
    expect(error.message).toMatch(/^fit: epoch 0, minibatch 0: \d+ gradient values are NaN or ±Infinity .*the update was skipped/);
  });

  it('a bad nonFiniteGradients is an INVALID_ARGUMENT naming it', async () => {
    const cpu = await createBackend({ prefer: 'cpu' });
    await expect(cpu.train(base, { loss: 'mse', nonFiniteGradients: 'ignore' as never })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: "options.nonFiniteGradients: expected 'skip' or 'error', got \"ignore\"",
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import type { LossKind } from '../../src/core/training.js';
import type { Activation } from '../../src/model/head.js';
import { LSTM } from '../../src/model/lstm.js';
import { SeededRandom } from '../../src/model/random.js';
import { testSeed } from '../support/seed.js';

// An independent check of the CPU's backward pass: central finite differences of the loss itself,
// (L(θ + ε) − L(θ − ε)) / 2ε, on random models, options and entries. It shares nothing with the
// backward code but the forward pass, which the PyTorch fixtures check on their own.

const seed = testSeed('train-gradcheck.test.ts');
const kEps = 1e-5;

interface RandomCase {
  numLayers: number;
  bidirectional: boolean;
  batchFirst: boolean;
  bias: boolean;
  over: 'last' | 'sequence';
  hiddenAct: Activation;
  loss: LossKind;
  lengths: boolean;
  states: boolean;
  seed: number;
}

const arbitraryCase = fc.record({
  numLayers: fc.integer({ min: 1, max: 2 }),
  bidirectional: fc.boolean(),
  batchFirst: fc.boolean(),
  bias: fc.boolean(),
  over: fc.constantFrom('last' as const, 'sequence' as const),
  // relu's kink would make finite differences meaningless where a unit sits at 0; the others are smooth.
  hiddenAct: fc.constantFrom<Activation>('tanh', 'sigmoid', 'linear', 'softmax', 'log_softmax'),
  loss: fc.constantFrom<LossKind>('mse', 'binary-cross-entropy', 'cross-entropy'),
  lengths: fc.boolean(),
  states: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1e6 }),
});

async function check(c: RandomCase): Promise<void> {
  const T = 4;
  const B = 3;
  const O = 3;
  const outAct: Activation = c.loss === 'cross-entropy' ? (c.seed % 2 === 0 ? 'softmax' : 'log_softmax') : c.loss === 'binary-cross-entropy' ? 'sigmoid' : 'tanh';
  const config = {
    inputSize: 2, hiddenSize: 3, numLayers: c.numLayers, bidirectional: c.bidirectional, batchFirst: c.batchFirst, bias: c.bias,
    head: { layers: [{ outFeatures: 4, activation: c.hiddenAct }, { outFeatures: O, activation: outAct }], over: c.over },
  };
  const model = LSTM.random({ ...config, seed: c.seed, distribution: 'normal', std: 0.7 });
  const rng = new SeededRandom(c.seed + 1);
  const D = c.bidirectional ? 2 : 1;
  const x = Float64Array.from({ length: T * B * 2 }, () => rng.uniform(-1.5, 1.5));
  const rows = c.over === 'last' ? B : T * B;
  const y = c.loss === 'cross-entropy'
    ? Float64Array.from({ length: rows }, () => Math.floor(rng.next() * O))
    : Float64Array.from({ length: rows * O }, () => rng.next());
  const stateSize = c.numLayers * D * B * 3;
  const options = {
    steps: T,
    batch: B,
    ...(c.lengths ? { lengths: [T, 1 + Math.floor(rng.next() * T), 2] } : {}),
    ...(c.states ? { h0: Float64Array.from({ length: stateSize }, () => rng.uniform(-1, 1)), c0: Float64Array.from({ length: stateSize }, () => rng.uniform(-1, 1)) } : {}),
  };
  const backend = await createBackend({ prefer: 'cpu' });
  const lossOf = async (m: LSTM, xs = x, h0?: Float64Array) => {
    const trainer = await backend.train(m, { loss: c.loss });
    const opts = h0 ? { ...options, h0, c0: options.c0 ?? new Float64Array(stateSize) } : options;
    return trainer.evaluate(xs, y, opts);
  };
  const g = await (await backend.train(model, { loss: c.loss })).gradients(x, y, options);
  const where = JSON.stringify(c);
  // Three entries of every parameter, by central differences of a model with that entry moved.
  for (const [name, grad] of g.grads) {
    for (let probe = 0; probe < 3; probe++) {
      const k = Math.floor(rng.next() * grad.data.length);
      const moved = (delta: number) => {
        const tensors = model.tensors();
        tensors.get(name)!.data[k] += delta;
        return new LSTM(model.config, tensors);
      };
      const numeric = ((await lossOf(moved(kEps))) - (await lossOf(moved(-kEps)))) / (2 * kEps);
      expect(Math.abs(numeric - grad.data[k]), `${name}[${k}] ${where}`).toBeLessThan(1e-7 * Math.max(1, Math.abs(numeric)));
    }
  }
  // And x and h0 (dx is in the caller's layout, as x is).
  for (let probe = 0; probe < 3; probe++) {
    const k = Math.floor(rng.next() * x.length);
    const shifted = (delta: number) => Float64Array.from(x, (v, j) => (j === k ? v + delta : v));
    const numeric = ((await lossOf(model, shifted(kEps))) - (await lossOf(model, shifted(-kEps)))) / (2 * kEps);
    expect(Math.abs(numeric - g.dx.data[k]), `dx[${k}] ${where}`).toBeLessThan(1e-7 * Math.max(1, Math.abs(numeric)));
    const j = Math.floor(rng.next() * stateSize);
    const h0 = (delta: number) => Float64Array.from(options.h0 ?? new Float64Array(stateSize), (v, i) => (i === j ? v + delta : v));
    const numericH = ((await lossOf(model, x, h0(kEps))) - (await lossOf(model, x, h0(-kEps)))) / (2 * kEps);
    expect(Math.abs(numericH - g.dh0.data[j]), `dh0[${j}] ${where}`).toBeLessThan(1e-7 * Math.max(1, Math.abs(numericH)));
  }
}

describe('CPU gradients vs central finite differences', () => {
  it('agree on random models, options and entries', async () => {
    await fc.assert(fc.asyncProperty(arbitraryCase, check), { seed, numRuns: 12 });
  });
});

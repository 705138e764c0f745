import './dawn-env.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import type { LossKind } from '../../src/core/training.js';
import type { Activation } from '../../src/model/head.js';
import { LSTM } from '../../src/model/lstm.js';
import { SeededRandom } from '../../src/model/random.js';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { testSeed } from '../support/seed.js';
import { scaledError } from '../support/training-fixtures.js';
import { openDawn } from './dawn-env.js';
import { trackDawn } from './dawn-tracking.js';

// Random models, options and data (fast-check, seeded): GPU gradients within 1e-4 × max(1, max |g|)
// of the CPU's for every parameter, x, h0 and c0; bit-identical on a repeat; one submit per step;
// live buffers back to the baseline after many fits; LIMIT_EXCEEDED for a call too big.

const seed = testSeed('train-properties.test.ts');
let gpu: NodeBackend;
beforeAll(async () => {
  gpu = await openDawn();
});
afterAll(async () => {
  await gpu?.close();
});

const kLosses: LossKind[] = ['mse', 'mae', 'huber', 'binary-cross-entropy', 'cross-entropy'];
const arbitraryCase = fc.record({
  inputSize: fc.integer({ min: 1, max: 5 }),
  hiddenSize: fc.constantFrom<number>(1, 3, 5, 8, 13),
  numLayers: fc.integer({ min: 1, max: 3 }),
  bidirectional: fc.boolean(),
  batchFirst: fc.boolean(),
  bias: fc.boolean(),
  over: fc.constantFrom('last' as const, 'sequence' as const),
  hidden: fc.constantFrom<Activation | null>(null, 'relu', 'tanh', 'sigmoid', 'linear', 'softmax', 'log_softmax'),
  loss: fc.constantFrom(...kLosses),
  steps: fc.integer({ min: 1, max: 6 }),
  batch: fc.integer({ min: 1, max: 6 }),
  lengths: fc.boolean(),
  states: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1e6 }),
});
type Case = typeof arbitraryCase extends fc.Arbitrary<infer C> ? C : never;

function makeCase(c: Case) {
  const O = 3;
  const out: Activation = c.loss === 'cross-entropy' ? (c.seed % 2 === 0 ? 'softmax' : 'log_softmax') : c.loss === 'binary-cross-entropy' ? 'sigmoid' : 'linear';
  const layers = [...(c.hidden ? [{ outFeatures: 4, activation: c.hidden }] : []), { outFeatures: O, activation: out }];
  const model = LSTM.random({
    inputSize: c.inputSize, hiddenSize: c.hiddenSize, numLayers: c.numLayers, bidirectional: c.bidirectional, batchFirst: c.batchFirst, bias: c.bias,
    head: { layers, over: c.over }, seed: c.seed,
  });
  const rng = new SeededRandom(c.seed + 1);
  const [T, B] = [c.steps, c.batch];
  const rows = c.over === 'last' ? B : T * B;
  const y = c.loss === 'cross-entropy' ? Array.from({ length: rows }, () => Math.floor(rng.next() * O)) : Array.from({ length: rows * O }, () => rng.next());
  const stateSize = c.numLayers * (c.bidirectional ? 2 : 1) * B * c.hiddenSize;
  const options = {
    steps: T,
    batch: B,
    ...(c.lengths ? { lengths: Array.from({ length: B }, () => 1 + Math.floor(rng.next() * T)) } : {}),
    ...(c.states ? { h0: Array.from({ length: stateSize }, () => rng.uniform(-1, 1)), c0: Array.from({ length: stateSize }, () => rng.uniform(-1, 1)) } : {}),
  };
  return { model, x: Array.from({ length: T * B * c.inputSize }, () => rng.uniform(-1.5, 1.5)), y, options };
}

async function compareGradients(c: Case): Promise<void> {
  const { model, x, y, options } = makeCase(c);
  const cpu = await (await createBackend({ prefer: 'cpu' })).train(model, { loss: c.loss });
  const trainer = await gpu.train(model, { loss: c.loss });
  try {
    const expected = await cpu.gradients(x, y, options);
    const actual = await trainer.gradients(x, y, options);
    const where = JSON.stringify(c);
    expect(scaledError([actual.loss], [expected.loss]), `loss ${where}`).toBeLessThan(1e-4);
    for (const [name, g] of expected.grads) expect(scaledError(actual.grads.get(name)!.data, g.data), `${name} ${where}`).toBeLessThan(1e-4);
    for (const key of ['dx', 'dh0', 'dc0'] as const) expect(scaledError(actual[key].data, expected[key].data), `${key} ${where}`).toBeLessThan(1e-4);
  } finally {
    trainer.dispose();
  }
}

describe('GPU gradients on random cases', () => {
  it('match the CPU for random sizes, options, losses and seeds', async () => {
    await fc.assert(fc.asyncProperty(arbitraryCase, compareGradients), { seed, numRuns: 40 });
  });

  it('match on the per-step forward path (H > 256)', async () => {
    await compareGradients({ inputSize: 2, hiddenSize: 260, numLayers: 1, bidirectional: true, batchFirst: false, bias: true, over: 'sequence', hidden: null, loss: 'mse', steps: 3, batch: 2, lengths: true, states: true, seed: 5 });
  });

  // On a software adapter the persistent backward owns up to 8 units per invocation in workgroups
  // of 16 or 32 (chooseBackwardPath): H for several of each, B = 9 for a full tile of 8 and a partial one.
  it.each([[33, '3 units, 16 invocations'], [70, '5 units'], [100, '7 units'], [128, '8 units, 16 invocations'], [129, '5 units, 32 invocations'], [256, '8 units, 32 invocations']])(
    'match on the persistent backward at H = %i (%s)',
    async (hiddenSize) => {
      await compareGradients({ inputSize: 3, hiddenSize, numLayers: 1, bidirectional: true, batchFirst: false, bias: true, over: 'sequence', hidden: null, loss: 'mse', steps: 3, batch: 9, lengths: true, states: true, seed: hiddenSize });
    },
  );

  it('are bit-identical on repeated calls', async () => {
    const c = makeCase({ inputSize: 3, hiddenSize: 8, numLayers: 2, bidirectional: true, batchFirst: false, bias: true, over: 'last', hidden: 'tanh', loss: 'mse', steps: 5, batch: 4, lengths: true, states: false, seed: 9 });
    const trainer = await gpu.train(c.model, { loss: 'mse' });
    const first = await trainer.gradients(c.x, c.y, c.options);
    for (let k = 0; k < 3; k++) {
      const again = await trainer.gradients(c.x, c.y, c.options);
      expect(again.loss).toBe(first.loss);
      for (const [name, g] of first.grads) expect(Buffer.from(again.grads.get(name)!.data.buffer).equals(Buffer.from(g.data.buffer)), name).toBe(true);
      expect(Buffer.from(again.dx.data.buffer).equals(Buffer.from(first.dx.data.buffer))).toBe(true);
    }
    trainer.dispose();
  });
});

describe('GPU training steps: submits, dispatches, buffers, limits', () => {
  it('one submit per step, and live buffers back to the baseline after many fits and dispose', async () => {
    const tracker = await trackDawn();
    try {
      const baseline = tracker.live;
      const c = makeCase({ inputSize: 1, hiddenSize: 50, numLayers: 1, bidirectional: false, batchFirst: true, bias: true, over: 'last', hidden: null, loss: 'mse', steps: 12, batch: 40, lengths: false, states: false, seed: 3 });
      for (let call = 0; call < 6; call++) {
        const trainer = await gpu.train(c.model, { loss: 'mse', clipNorm: call % 2 ? 1 : undefined });
        const before = { ...tracker.counts };
        await trainer.fit(c.x, c.y, { ...c.options, epochs: 2, batchSize: [32, 7, 13][call % 3], shuffle: true, seed: call });
        const steps = 2 * Math.ceil(40 / [32, 7, 13][call % 3]);
        expect(tracker.counts.submits - before.submits, 'submits').toBe(steps);
        if (call === 0) console.log(`dispatches per training step (B=32, T=12, I=1, H=50, Dense(1), mse): ${(tracker.counts.dispatches - before.dispatches) / steps}`);
        await trainer.evaluate(c.x, c.y, c.options);
        await trainer.predict(c.x, { steps: 12, batch: 40 });
        await trainer.gradients(c.x, c.y, c.options);
        await trainer.model();
        trainer.dispose();
        expect(tracker.live, `after fit ${call}`).toBe(baseline);
      }
    } finally {
      tracker.stop();
    }
  });

  it('a call too big for the device limits fails with LIMIT_EXCEEDED naming the limit and the size', async () => {
    const small = await openDawn({ limits: { maxBufferSize: 64 * 1024 } });
    try {
      const c = makeCase({ inputSize: 2, hiddenSize: 16, numLayers: 1, bidirectional: false, batchFirst: false, bias: true, over: 'sequence', hidden: null, loss: 'mse', steps: 50, batch: 8, lengths: false, states: false, seed: 1 });
      const trainer = await small.train(c.model, { loss: 'mse' });
      const error = await trainer.gradients(c.x, c.y, c.options).catch((e) => e);
      expect(error.code).toBe('LIMIT_EXCEEDED');
      expect(error.message).toMatch(/maxBufferSize of 65536 bytes/);
      expect(error.message).toMatch(/the [a-z ()]+ buffer needs \d+ bytes/);
      trainer.dispose();
    } finally {
      await small.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import type { Trainer } from '../../src/api/train/trainer.js';
import type { TrainOptions } from '../../src/api/train/types.js';
import { LstmError } from '../../src/core/errors.js';
import type { HeadConfigInput } from '../../src/model/head.js';
import { LSTM } from '../../src/model/lstm.js';

// Every bad argument of the training API is a typed LstmError naming the argument, what it expects
// and what was given, thrown before any step changes the model.

const T = 3;
const B = 4;
const x = Float64Array.from({ length: T * B * 2 }, (_, k) => Math.sin(k));
const y = Float64Array.from({ length: B }, (_, k) => k / B);
const data = { steps: T, batch: B };
const head = (over: 'last' | 'sequence' = 'last', activation = 'linear', outFeatures = 1): HeadConfigInput => ({ layers: [{ outFeatures, activation: activation as 'linear' }], over });
const model = (h: HeadConfigInput | null = head()) => LSTM.random({ inputSize: 2, hiddenSize: 3, seed: 5, ...(h ? { head: h } : {}) });

async function trainer(options: TrainOptions = { loss: 'mse' }, m = model()): Promise<Trainer> {
  return (await createBackend({ prefer: 'cpu' })).train(m, options);
}

async function rejects(promise: Promise<unknown> | (() => unknown), code: string, message: string | RegExp): Promise<void> {
  let error: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (e) {
    error = e;
  }
  expect(error, 'an error').toBeInstanceOf(LstmError);
  expect((error as LstmError).code).toBe(code);
  if (typeof message === 'string') expect((error as LstmError).message).toBe(message);
  else expect((error as LstmError).message).toMatch(message);
}

describe('backend.train options', () => {
  it('needs a head', async () => {
    await rejects(trainer({ loss: 'mse' }, model(null)), 'INVALID_ARGUMENT', /^train: the model has no head, so there is no prediction to train/);
  });
  it('refuses a learning rate that is not a positive finite number', async () => {
    for (const [lr, given] of [[0, '0'], [-1, '-1'], [NaN, 'NaN'], [Infinity, 'Infinity'], ['0.1', '"0.1"']] as const) {
      await rejects(trainer({ loss: 'mse', optimizer: { kind: 'adam', lr: lr as number } }), 'INVALID_ARGUMENT', `options.optimizer.lr: expected a finite number in (0, ∞), got ${given}`);
    }
  });
  it('refuses losses that do not fit the head', async () => {
    await rejects(trainer({ loss: 'cross-entropy' }), 'INVALID_ARGUMENT', 'options.loss: "cross-entropy" needs the head\'s last dense layer to have activation "softmax" or "log_softmax", got a last dense layer with activation "linear"');
    await rejects(trainer({ loss: 'binary-cross-entropy' }, model(head('last', 'softmax', 2))), 'INVALID_ARGUMENT', /"binary-cross-entropy" needs the head's last dense layer to have activation "sigmoid", got a last dense layer with activation "softmax"/);
    await rejects(trainer({ loss: 'binary-cross-entropy' }, model({ layers: [], over: 'sequence' })), 'INVALID_ARGUMENT', /got a head without dense layers \(a linear output\)$/);
    await rejects(trainer({ loss: 'l2' as 'mse' }), 'INVALID_ARGUMENT', 'options.loss: expected one of mse, mae, huber, binary-cross-entropy, cross-entropy, got "l2"');
  });
  it('refuses bad optimizer settings, unknown keys and a non-positive clip norm', async () => {
    await rejects(trainer({ loss: 'mse', optimizer: { kind: 'rmsprop' as 'adam' } }), 'INVALID_ARGUMENT', `options.optimizer.kind: expected 'adam', 'adamw' or 'sgd', got "rmsprop"`);
    await rejects(trainer({ loss: 'mse', optimizer: { kind: 'adam', betas: [0.9, 1] } }), 'INVALID_ARGUMENT', 'options.optimizer.betas[1]: expected a finite number in [0, 1), got 1');
    await rejects(trainer({ loss: 'mse', optimizer: { kind: 'adam', momentum: 0.9 } }), 'INVALID_ARGUMENT', 'options.optimizer.momentum: SGD\'s option; adam has betas instead');
    await rejects(trainer({ loss: 'mse', optimizer: { kind: 'sgd', eps: 1e-7 } }), 'INVALID_ARGUMENT', /betas and eps are Adam's/);
    await rejects(trainer({ loss: 'mse', optimizer: { kind: 'sgd', momentum: -0.5 } }), 'INVALID_ARGUMENT', 'options.optimizer.momentum: expected a finite number in [0, ∞), got -0.5');
    await rejects(trainer({ loss: 'mse', clipNorm: 0 }), 'INVALID_ARGUMENT', 'options.clipNorm: expected a finite number in (0, ∞), got 0');
    await rejects(trainer({ loss: 'mse', learningRate: 1 } as TrainOptions), 'INVALID_ARGUMENT', 'options.learningRate: unknown key; expected loss, optimizer, clipNorm, singleBias, recurrence, nonFiniteGradients');
    await rejects(trainer({ loss: 'mse', singleBias: 'yes' as unknown as boolean }), 'INVALID_ARGUMENT', 'options.singleBias: expected true or false, got "yes"');
  });
});

describe('fit, evaluate, gradients and predict arguments', () => {
  it('refuses y of the wrong length, naming the shape', async () => {
    const t = await trainer();
    await rejects(t.fit(x, y.subarray(1), data), 'INVALID_SHAPE', 'y: expected 4 values for shape [B, O] = [4, 1], got 3 values');
    const seq = await trainer({ loss: 'mse' }, model(head('sequence', 'tanh', 2)));
    await rejects(seq.gradients(x, y, data), 'INVALID_SHAPE', 'y: expected 24 values for shape [T, B, O] = [3, 4, 2], got 4 values');
    await rejects(seq.evaluate(x, 'y' as unknown as number[], data), 'INVALID_SHAPE', 'y: expected 24 values for shape [T, B, O] = [3, 4, 2], got "y"');
  });
  it('refuses NaN and ±Infinity in y, naming the position', async () => {
    const t = await trainer();
    await rejects(t.fit(x, [0, NaN, 0, 0], data), 'NON_FINITE', 'y at b=1, o=0 (flat index 1) is NaN; targets must be finite');
    await rejects(t.evaluate(x, [0, 0, 0, -Infinity], data), 'NON_FINITE', 'y at b=3, o=0 (flat index 3) is -Infinity; targets must be finite');
  });
  it('refuses targets outside what the loss reads', async () => {
    const bce = await trainer({ loss: 'binary-cross-entropy' }, model(head('last', 'sigmoid')));
    await rejects(bce.fit(x, [0, 1, 1.5, 0], data), 'INVALID_ARGUMENT', 'y at b=2, o=0 (flat index 2) is 1.5; binary-cross-entropy expects targets in [0, 1]');
    const ce = await trainer({ loss: 'cross-entropy' }, model(head('last', 'softmax', 3)));
    await rejects(ce.fit(x, [0, 1, 3, 0], data), 'INVALID_ARGUMENT', 'y at b=2 (flat index 2) is 3; cross-entropy expects a class index, an integer in [0, 2]');
    await rejects(ce.fit(x, [0, 0.5, 1, 0], data), 'INVALID_ARGUMENT', /is 0.5; cross-entropy expects a class index/);
  });
  it('refuses a batch size of 0, bad epochs, splits and options, before any step', async () => {
    const t = await trainer();
    const before = await t.model();
    await rejects(t.fit(x, y, { ...data, batchSize: 0 }), 'INVALID_ARGUMENT', 'options.batchSize: expected an integer ≥ 1, got 0');
    await rejects(t.fit(x, y, { ...data, epochs: 1.5 }), 'INVALID_ARGUMENT', 'options.epochs: expected an integer ≥ 1, got 1.5');
    await rejects(t.fit(x, y, { ...data, validationSplit: 1 }), 'INVALID_ARGUMENT', 'options.validationSplit: expected a finite number in [0, 1), got 1');
    await rejects(t.fit(x, y, { ...data, validationSplit: 0.1 }), 'INVALID_ARGUMENT', 'options.validationSplit: 0.1 of 4 sequences leaves 4 to train and 0 to validate; both need at least one');
    await rejects(t.fit(x, y, { ...data, validationSplit: 0.5, validationData: { x, y, ...data } }), 'INVALID_ARGUMENT', 'options: give validationSplit or validationData, not both');
    await rejects(t.fit(x, y, { ...data, validationData: { x, y: [1], ...data } }), 'INVALID_SHAPE', 'validationData.y: expected 4 values for shape [B, O] = [4, 1], got 1 values');
    await rejects(t.fit(x, y, { ...data, shuffle: 'no' as unknown as boolean }), 'INVALID_ARGUMENT', 'options.shuffle: expected true or false, got "no"');
    await rejects(t.fit(x, y, { ...data, batch_size: 2 } as never), 'INVALID_ARGUMENT', /^options.batch_size: unknown key; expected steps, batch/);
    await rejects(t.fit(x, y, { ...data, onEpochEnd: 'log' as never }), 'INVALID_ARGUMENT', 'options.onEpochEnd: expected a function, got "log"');
    await rejects(t.fit(x, y, { ...data, steps: 0 }), 'INVALID_ARGUMENT', /^options.steps: expected an integer in \[1, /);
    await rejects(t.fit(x, y, { ...data, lengths: [1, 2, 4, 1] }), 'INVALID_ARGUMENT', /^lengths\[2\]: expected an integer in \[1, 3\], got 4/);
    await rejects(t.predict(x.subarray(1), data), 'INVALID_SHAPE', /^x: expected 24 values/);
    await rejects(t.evaluate(x, y, { ...data, batchSize: 0 }), 'INVALID_ARGUMENT', 'options.batchSize: expected an integer ≥ 1, got 0');
    const after = await t.model();
    expect(after.param('weight_hh_l0')).toEqual(before.param('weight_hh_l0'));
  });
  it('rejects every call on a disposed trainer with DISPOSED', async () => {
    const t = await trainer();
    t.dispose();
    t.dispose(); // safe twice
    await rejects(t.fit(x, y, data), 'DISPOSED', 'fit: this trainer was disposed; call backend.train again');
    await rejects(t.predict(x, data), 'DISPOSED', /^predict: this trainer was disposed/);
    await rejects(t.evaluate(x, y, data), 'DISPOSED', /^evaluate: /);
    await rejects(t.gradients(x, y, data), 'DISPOSED', /^gradients: /);
    await rejects(t.model(), 'DISPOSED', /^model: /);
  });
});

describe('fit control', () => {
  it('stops at an aborted signal between minibatches, rejecting with its reason', async () => {
    const t = await trainer();
    const aborted = new AbortController();
    aborted.abort();
    await expect(t.fit(x, y, { ...data, signal: aborted.signal })).rejects.toThrow(/aborted/);
    const controller = new AbortController();
    let batches = 0;
    const run = t.fit(x, y, { ...data, epochs: 5, batchSize: 1, signal: controller.signal, onBatchEnd: () => (++batches === 3 ? controller.abort() : undefined) });
    await expect(run).rejects.toThrow(/aborted/);
    expect(batches).toBe(3);
  });
  it('is seeded: the same seed gives the same model, another seed another; calls run in order', async () => {
    const fit = async (seed: number) => {
      const t = await trainer({ loss: 'mse', optimizer: { kind: 'sgd', lr: 0.1 } });
      const first = t.fit(x, y, { ...data, epochs: 2, batchSize: 1, seed });
      const second = t.fit(x, y, { ...data, epochs: 1, batchSize: 3, seed }); // queued behind the first
      const [a, b] = await Promise.all([first, second]);
      expect(a.loss).toHaveLength(2);
      expect(b.loss).toHaveLength(1);
      return (await t.model()).param('weight_ih_l0');
    };
    expect(await fit(7)).toEqual(await fit(7));
    expect(await fit(7)).not.toEqual(await fit(8));
  });
  it('reports history and epoch logs (loss, valLoss, milliseconds) and batch logs', async () => {
    const t = await trainer();
    const epochs: unknown[] = [];
    const sizes: number[] = [];
    const history = await t.fit(x, y, { ...data, epochs: 2, batchSize: 2, validationSplit: 0.25, onEpochEnd: (e, logs) => void epochs.push([e, logs]), onBatchEnd: (_b, logs) => void sizes.push(logs.size) });
    expect(history.valLoss).toHaveLength(2);
    expect(sizes).toEqual([2, 1, 2, 1]); // 3 training sequences: minibatches of 2 and 1
    expect(epochs).toEqual([
      [0, { loss: history.loss[0], valLoss: history.valLoss![0], milliseconds: expect.any(Number), nonFiniteGradients: 0, skippedUpdates: 0 }],
      [1, { loss: history.loss[1], valLoss: history.valLoss![1], milliseconds: expect.any(Number), nonFiniteGradients: 0, skippedUpdates: 0 }],
    ]);
  });
});

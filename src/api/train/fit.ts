import { describeValue } from '../../core/describe.js';
import { invalidArgument, LstmError } from '../../core/errors.js';
import type { LossKind, StepResult, TrainingBackend, TrainingSetup } from '../../core/training.js';
import type { LSTM } from '../../model/lstm.js';
import { SeededRandom } from '../../model/random.js';
import { prepareDataset, range, takeSequences, type Dataset } from './data.js';
import { checkInteger, checkNumber } from './options.js';
import type { FitOptions, History } from './types.js';

const kFitKeys = [
  'steps', 'batch', 'lengths', 'h0', 'c0', 'nonFinite', 'epochs', 'batchSize', 'shuffle', 'seed',
  'validationSplit', 'validationData', 'onEpochEnd', 'onBatchEnd', 'signal',
];

interface FitPlan {
  readonly data: Dataset;
  readonly train: number[];
  readonly validation: { readonly data: Dataset; readonly indices: number[] } | null;
  readonly epochs: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
}

function checkCallback(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') throw invalidArgument(`options.${name}: expected a function, got ${describeValue(value)}`);
}

/** Every fit argument checked, before any step: a bad one throws with nothing trained. */
function planFit(model: LSTM, loss: LossKind, x: ArrayLike<number>, y: ArrayLike<number>, options: FitOptions): FitPlan {
  if (options === null || typeof options !== 'object') throw invalidArgument(`options: expected { steps, batch, epochs, batchSize, ... }, got ${describeValue(options)}`);
  for (const key of Object.keys(options)) if (!kFitKeys.includes(key)) throw invalidArgument(`options.${key}: unknown key; expected ${kFitKeys.join(', ')}`);
  const data = prepareDataset(model, loss, x, y, options);
  const B = data.input.batch;
  const epochs = checkInteger('options.epochs', options.epochs, 1, 1);
  const batchSize = checkInteger('options.batchSize', options.batchSize, 1, 32);
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw invalidArgument(`options.shuffle: expected true or false, got ${describeValue(shuffle)}`);
  const seed = checkInteger('options.seed', options.seed, 0, 0);
  checkCallback('onEpochEnd', options.onEpochEnd);
  checkCallback('onBatchEnd', options.onBatchEnd);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw invalidArgument(`options.signal: expected an AbortSignal, got ${describeValue(options.signal)}`);
  if (options.validationSplit !== undefined && options.validationData !== undefined) {
    throw invalidArgument('options: give validationSplit or validationData, not both');
  }
  if (options.validationData !== undefined) {
    const v = options.validationData;
    if (v === null || typeof v !== 'object') throw invalidArgument(`options.validationData: expected { x, y, steps, batch, ... }, got ${describeValue(v)}`);
    const valData = prepareDataset(model, loss, v.x, v.y, v, 'validationData.');
    return { data, train: range(0, B), validation: { data: valData, indices: range(0, valData.input.batch) }, epochs, batchSize, shuffle, seed };
  }
  const split = options.validationSplit === undefined ? 0 : checkNumber('options.validationSplit', options.validationSplit, 0, 1, false, true);
  // Keras: the first ⌈B·(1 − split)⌉ sequences train, the rest validate, split before any shuffle.
  const splitAt = Math.ceil(B * (1 - split));
  if (split > 0 && (splitAt < 1 || splitAt >= B)) {
    throw invalidArgument(`options.validationSplit: ${split} of ${B} sequences leaves ${splitAt} to train and ${B - splitAt} to validate; both need at least one`);
  }
  return { data, train: range(0, splitAt), validation: split > 0 ? { data, indices: range(splitAt, B) } : null, epochs, batchSize, shuffle, seed };
}

/**
 * The loss over sequences `indices`: one batch when batchSize covers them (the exact mean over
 * every counted element), else minibatches' losses averaged over samples (Keras's evaluate).
 */
export async function evaluateInBatches(backend: TrainingBackend, data: Dataset, indices: readonly number[], batchSize: number): Promise<number> {
  let total = 0;
  for (let start = 0; start < indices.length; start += batchSize) {
    const part = indices.slice(start, start + batchSize);
    total += (await backend.evaluate(takeSequences(data, part))) * part.length;
  }
  return total / indices.length;
}

/** Fisher–Yates from the seeded generator: the same seed gives the same orders everywhere. */
function shuffled(indices: readonly number[], rng: SeededRandom): number[] {
  const out = [...indices];
  for (let k = out.length - 1; k > 0; k--) {
    const j = Math.floor(rng.next() * (k + 1));
    [out[k], out[j]] = [out[j], out[k]];
  }
  return out;
}

/**
 * Keras's fit loop: per epoch, the training sequences in order (or reshuffled), cut into
 * consecutive minibatches of batchSize (the last possibly smaller), one step each; the epoch's
 * loss is the batch losses' mean over samples; validation runs after the epoch, in minibatches of
 * batchSize averaged over samples. The signal is checked before every minibatch. onBatchEnd is
 * called after each step with its loss (fit then waits for every step's loss before the next);
 * without it, steps run back to back and their losses are collected at the epoch's end.
 */
export async function runFit(
  model: LSTM,
  setup: Pick<TrainingSetup, 'loss' | 'nonFiniteGradients'>,
  backend: TrainingBackend,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: FitOptions,
): Promise<History> {
  const plan = planFit(model, setup.loss, x, y, options);
  /** Under nonFiniteGradients 'error', a step with a NaN or ±Infinity gradient ends fit (its update was skipped). */
  const checkStep = (result: StepResult, epoch: number, batch: number) => {
    if (setup.nonFiniteGradients === 'error' && result.nonFiniteGradients > 0) {
      throw new LstmError(
        'NON_FINITE',
        `fit: epoch ${epoch}, minibatch ${batch}: ${result.nonFiniteGradients} gradient values are NaN or ±Infinity (loss ${result.loss}); the update was skipped and the parameters are those before it (options.nonFiniteGradients: 'error')`,
      );
    }
  };
  const history: History = { loss: [], ...(plan.validation ? { valLoss: [] } : {}), nonFiniteGradients: [], skippedUpdates: [] };
  const rng = new SeededRandom(plan.seed);
  let batchNumber = 0;
  for (let epoch = 0; epoch < plan.epochs; epoch++) {
    const started = performance.now();
    const order = plan.shuffle ? shuffled(plan.train, rng) : plan.train;
    // Without onBatchEnd, steps are not awaited one by one: a GPU backend encodes the next step
    // while the last one's loss is still on its way back, and the losses are summed (in batch
    // order) at the epoch's end. onBatchEnd needs each batch's loss, so it waits for every step.
    const pending: Promise<StepResult>[] = [];
    const sizes: number[] = [];
    for (let start = 0; start < order.length; start += plan.batchSize) {
      options.signal?.throwIfAborted();
      const part = order.slice(start, start + plan.batchSize);
      const step = backend.step(takeSequences(plan.data, part));
      step.catch(() => {}); // observed below; no unhandled rejection while later steps are encoded
      pending.push(step);
      sizes.push(part.length);
      if (options.onBatchEnd) {
        const result = await step;
        checkStep(result, epoch, pending.length - 1);
        await options.onBatchEnd(batchNumber++, { loss: result.loss, size: part.length });
      }
    }
    const results = await Promise.all(pending);
    let total = 0;
    let nonFiniteGradients = 0;
    let skippedUpdates = 0;
    results.forEach((result, k) => {
      checkStep(result, epoch, k);
      total += result.loss * sizes[k];
      nonFiniteGradients += result.nonFiniteGradients;
      if (result.nonFiniteGradients > 0) skippedUpdates += 1;
    });
    history.loss.push(total / order.length);
    history.nonFiniteGradients.push(nonFiniteGradients);
    history.skippedUpdates.push(skippedUpdates);
    let valLoss: number | undefined;
    if (plan.validation) {
      valLoss = await evaluateInBatches(backend, plan.validation.data, plan.validation.indices, plan.batchSize);
      history.valLoss!.push(valLoss);
    }
    const logs = { loss: total / order.length, ...(valLoss === undefined ? {} : { valLoss }), milliseconds: performance.now() - started, nonFiniteGradients, skippedUpdates };
    await options.onEpochEnd?.(epoch, logs);
  }
  return history;
}

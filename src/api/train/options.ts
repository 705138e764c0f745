import { describeValue } from '../../core/describe.js';
import { invalidArgument, LstmError } from '../../core/errors.js';
import { variantsOf } from '../../model/config.js';
import { kLossKinds, type LossKind, type OptimizerSettings, type TrainingSetup } from '../../core/training.js';
import { outputActivation, type Activation } from '../../model/head.js';
import type { LSTM } from '../../model/lstm.js';
import type { OptimizerOptions, TrainOptions } from './types.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A number in a range; `low`/`high` inclusive unless the open flags say otherwise. */
export function checkNumber(name: string, value: unknown, low: number, high: number, lowOpen = false, highOpen = false): number {
  const ok =
    typeof value === 'number' && Number.isFinite(value) && (lowOpen ? value > low : value >= low) && (highOpen ? value < high : value <= high);
  if (!ok) {
    const range = `${lowOpen ? '(' : '['}${low}, ${high === Infinity ? '∞' : high}${highOpen || high === Infinity ? ')' : ']'}`;
    throw invalidArgument(`${name}: expected a finite number in ${range}, got ${describeValue(value)}`);
  }
  return value as number;
}

/** An integer ≥ `low`, or `fallback` when undefined. */
export function checkInteger(name: string, value: unknown, low: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low) {
    throw invalidArgument(`${name}: expected an integer ≥ ${low}, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Which losses fit which output layer: the cross-entropies fold their activation in, so they need
 * it as the head's last activation (binary-cross-entropy: sigmoid; cross-entropy: softmax or
 * log_softmax); the regression losses read the prediction whatever its activation (mse on a softmax
 * is allowed: it compares probabilities, as Keras permits).
 *
 * cross-entropy on a log_softmax head is PyTorch's nn.NLLLoss after nn.LogSoftmax: with the
 * prediction p = log_softmax(z), −p_c = logsumexp(z) − z_c, exactly the folded cross-entropy of the
 * logits z, with the same ∂L/∂z = softmax(z) − onehot(c). (nn.CrossEntropyLoss on p gives the same
 * too, since log_softmax(p) = p.) So both heads share one folded loss.
 */
const kRequiredActivation: Partial<Record<LossKind, readonly Activation[]>> = {
  'binary-cross-entropy': ['sigmoid'],
  'cross-entropy': ['softmax', 'log_softmax'],
};

function checkLoss(model: LSTM, loss: unknown): LossKind {
  if (!kLossKinds.includes(loss as LossKind)) throw invalidArgument(`options.loss: expected one of ${kLossKinds.join(', ')}, got ${describeValue(loss)}`);
  const head = model.config.head!;
  const required = kRequiredActivation[loss as LossKind];
  const given = outputActivation(head);
  if (required && !required.includes(given)) {
    const what = head.layers.length === 0 ? 'a head without dense layers (a linear output)' : `a last dense layer with activation ${JSON.stringify(given)}`;
    const wanted = required.map((a) => JSON.stringify(a)).join(' or ');
    throw invalidArgument(`options.loss: ${JSON.stringify(loss)} needs the head's last dense layer to have activation ${wanted}, got ${what}`);
  }
  return loss as LossKind;
}

function resolveOptimizer(value: unknown): OptimizerSettings {
  const given = (value ?? { kind: 'adam' }) as OptimizerOptions;
  if (!isObject(given)) throw invalidArgument(`options.optimizer: expected { kind: 'adam' | 'adamw' | 'sgd', lr, ... }, got ${describeValue(value)}`);
  const known = ['kind', 'lr', 'betas', 'eps', 'weightDecay', 'momentum'];
  for (const key of Object.keys(given)) if (!known.includes(key)) throw invalidArgument(`options.optimizer.${key}: unknown key; expected ${known.join(', ')}`);
  const kind = given.kind;
  if (kind !== 'adam' && kind !== 'adamw' && kind !== 'sgd') throw invalidArgument(`options.optimizer.kind: expected 'adam', 'adamw' or 'sgd', got ${describeValue(kind)}`);
  if (kind === 'sgd' && (given.betas !== undefined || given.eps !== undefined)) throw invalidArgument(`options.optimizer: betas and eps are Adam's; SGD takes lr, momentum and weightDecay`);
  if (kind !== 'sgd' && given.momentum !== undefined) throw invalidArgument(`options.optimizer.momentum: SGD's option; ${kind} has betas instead`);
  const lr = checkNumber('options.optimizer.lr', given.lr ?? (kind === 'sgd' ? 1e-2 : 1e-3), 0, Infinity, true);
  const betas = given.betas ?? [0.9, 0.999];
  if (!Array.isArray(betas) || betas.length !== 2) throw invalidArgument(`options.optimizer.betas: expected [β1, β2], got ${describeValue(betas)}`);
  return {
    kind,
    lr,
    beta1: checkNumber('options.optimizer.betas[0]', betas[0], 0, 1, false, true),
    beta2: checkNumber('options.optimizer.betas[1]', betas[1], 0, 1, false, true),
    eps: checkNumber('options.optimizer.eps', given.eps ?? 1e-8, 0, Infinity),
    weightDecay: checkNumber('options.optimizer.weightDecay', given.weightDecay ?? (kind === 'adamw' ? 1e-2 : 0), 0, Infinity),
    momentum: checkNumber('options.optimizer.momentum', given.momentum ?? 0, 0, Infinity),
  };
}

/**
 * Checks `backend.train`'s arguments and resolves every default. Throws INVALID_ARGUMENT naming
 * the option, what it expects and what was given; a model without a head cannot train (its
 * prediction is undefined): add config.head — `{ layers: [], over: 'sequence' }` trains the LSTM's
 * output itself.
 */
export function resolveSetup(model: LSTM, options: TrainOptions): TrainingSetup {
  if (!model.config.head) {
    throw invalidArgument(
      "train: the model has no head, so there is no prediction to train; give it config.head (e.g. { layers: [{ outFeatures: 1 }], over: 'last' }, or { layers: [], over: 'sequence' } to train the LSTM's output itself)",
    );
  }
  const variants = variantsOf(model.config);
  if (variants.length > 0) {
    // Backpropagation covers PyTorch's plain LSTM only (src/cpu/backward.ts); a variant's gradients would be wrong.
    throw new LstmError('BACKEND_UNAVAILABLE', `train: training does not cover LSTM variants yet; this model has config.${variants.join(', config.')}. It runs forward on the CPU backend`);
  }
  if (!isObject(options)) throw invalidArgument(`options: expected { loss, optimizer, clipNorm, singleBias }, got ${describeValue(options)}`);
  const known = ['loss', 'optimizer', 'clipNorm', 'singleBias', 'recurrence', 'nonFiniteGradients'];
  for (const key of Object.keys(options)) if (!known.includes(key)) throw invalidArgument(`options.${key}: unknown key; expected ${known.join(', ')}`);
  const singleBias = options.singleBias ?? false;
  if (typeof singleBias !== 'boolean') throw invalidArgument(`options.singleBias: expected true or false, got ${describeValue(singleBias)}`);
  return {
    loss: checkLoss(model, options.loss),
    optimizer: resolveOptimizer(options.optimizer),
    clipNorm: options.clipNorm === undefined ? null : checkNumber('options.clipNorm', options.clipNorm, 0, Infinity, true),
    singleBias,
    nonFiniteGradients: checkNonFiniteGradients(options.nonFiniteGradients),
    ...(options.recurrence === undefined ? {} : { recurrence: checkRecurrence(options.recurrence) }),
  };
}

function checkNonFiniteGradients(value: unknown): 'skip' | 'error' {
  if (value === undefined) return 'skip';
  if (value === 'skip' || value === 'error') return value;
  throw invalidArgument(`options.nonFiniteGradients: expected 'skip' or 'error', got ${describeValue(value)}`);
}

function checkRecurrence(value: unknown): 'auto' | 'sequence' | 'steps' {
  if (value === 'auto' || value === 'sequence' || value === 'steps') return value;
  throw invalidArgument(`options.recurrence: expected 'auto', 'sequence' or 'steps', got ${describeValue(value)}`);
}

import type { PreparedInput } from './prepared-input.js';
import type { BackendKind } from './results.js';
import type { FloatArray } from './tensor.js';

/**
 * What a training backend (the float64 CPU reference, WebGPU) implements. The front door
 * (src/api/train/) validates every argument, resolves defaults, splits data into minibatches and
 * keeps the history; a backend only runs checked, time-major batches. docs/training.md has the
 * definitions (losses, BPTT, optimizers) both backends follow.
 */

/**
 * The loss, each a mean over every target element that counts (PyTorch's reduction='mean'):
 * - 'mse': mean (p − y)², nn.MSELoss;   'mae': mean |p − y|, nn.L1Loss;
 * - 'huber': δ = 1, nn.HuberLoss (½d² where |d| ≤ 1, |d| − ½ elsewhere);
 * - 'binary-cross-entropy': nn.BCEWithLogitsLoss on the pre-activation of a sigmoid output layer
 *   (the sigmoid folded into the loss, computed stably); y in [0, 1];
 * - 'cross-entropy': nn.CrossEntropyLoss on the pre-activation of a softmax or log_softmax output
 *   layer (for log_softmax, nn.NLLLoss on its output: the same value and gradient), with an
 *   integer class index per prediction row as y; the mean is over rows.
 * With over 'sequence' and lengths, steps past a sequence's length are left out of the mean.
 */
export type LossKind = 'mse' | 'mae' | 'huber' | 'binary-cross-entropy' | 'cross-entropy';
export const kLossKinds: readonly LossKind[] = ['mse', 'mae', 'huber', 'binary-cross-entropy', 'cross-entropy'];

export type OptimizerKind = 'adam' | 'adamw' | 'sgd';

/** An optimizer with every default resolved (docs/training.md gives the defaults). */
export interface OptimizerSettings {
  readonly kind: OptimizerKind;
  /** Learning rate: positive and finite. */
  readonly lr: number;
  /** Adam's β1, β2 in [0, 1). */
  readonly beta1: number;
  readonly beta2: number;
  /** Adam's ε ≥ 0 (1e-8 as PyTorch; Keras uses 1e-7). */
  readonly eps: number;
  /** 'adam' and 'sgd': L2 added to the gradient (g + λθ); 'adamw': decoupled, θ ← θ(1 − lr·λ). */
  readonly weightDecay: number;
  /** 'sgd' only: momentum ≥ 0 (dampening 0, no Nesterov, as torch.optim.SGD's defaults). */
  readonly momentum: number;
}

/** What one optimizer step reports. */
export interface StepResult {
  /** The batch's mean loss, before the update. */
  readonly loss: number;
  /** Gradient values that were NaN or ±Infinity; above 0, the update was skipped. */
  readonly nonFiniteGradients: number;
}

/** A trainer's fixed settings, resolved and checked against the model. */
export interface TrainingSetup {
  readonly loss: LossKind;
  readonly optimizer: OptimizerSettings;
  /** Clip the global gradient norm to this (torch.nn.utils.clip_grad_norm_), or null for none. */
  readonly clipNorm: number | null;
  /**
   * A step whose gradients hold NaN or ±Infinity: its update is skipped on every backend (parameters
   * and optimizer moments stay; the step still counts in Adam's t), and it is counted in the
   * history ('skip'), or fit rejects with NON_FINITE after it ('error').
   */
  readonly nonFiniteGradients: 'skip' | 'error';
  /**
   * Keras-style single bias: bias_hh is held at zero (folded into bias_ih when training starts, so
   * the model computes the same function) and is not trained; its gradient is not reported.
   */
  readonly singleBias: boolean;
  /**
   * How the WebGPU backend walks time, forward and backward: 'sequence' (one persistent dispatch
   * per layer and direction; needs H ≤ 256), 'steps' (one dispatch per step), or 'auto' (default):
   * 'sequence' where it fits. The CPU backend ignores it.
   */
  readonly recurrence?: 'auto' | 'sequence' | 'steps';
}

/**
 * One minibatch, checked and time-major. `target` is, for B sequences and O prediction features:
 * - over 'last': [B, O], or [B] class indices for 'cross-entropy';
 * - over 'sequence': [T, B, O] time-major, or [T, B] class indices for 'cross-entropy'.
 * Targets at steps past a sequence's length (input.lengths) are ignored.
 */
export interface TrainingBatch {
  readonly input: PreparedInput;
  readonly target: Float64Array;
}

/**
 * The loss of one batch and its gradients, for checking. `grads` holds every trained parameter
 * (all of them, or all but bias_hh under singleBias) by PyTorch name, row-major in the parameter's
 * own shape, in paramSpecs order. dx is [T, B, I] time-major (zero past each sequence's length);
 * dh0 and dc0 are [L·D, B, H].
 */
export interface GradientResult {
  readonly loss: number;
  readonly grads: ReadonlyMap<string, Float64Array>;
  readonly dx: Float64Array;
  readonly dh0: Float64Array;
  readonly dc0: Float64Array;
}

/**
 * A model being trained on one backend, holding its parameters and optimizer state. Calls come
 * one at a time from the front door (it never overlaps them), with batches already validated.
 */
export interface TrainingBackend {
  readonly kind: BackendKind;
  /**
   * One optimizer step on the batch: forward, loss, backward, clipping, update. Resolves to the
   * batch's mean loss, computed with the parameters before the update, and how many gradient
   * values were NaN or ±Infinity (then the update was skipped).
   */
  step(batch: TrainingBatch): Promise<StepResult>;
  /** The batch's mean loss under the current parameters; nothing changes. */
  evaluate(batch: TrainingBatch): Promise<number>;
  /** The loss and every gradient under the current parameters; nothing changes. */
  gradients(batch: TrainingBatch): Promise<GradientResult>;
  /** The head's prediction, time-major: [B, O] for 'last', [T, B, O] for 'sequence'. */
  predict(input: PreparedInput): Promise<FloatArray>;
  /** Every parameter (trained or not) by PyTorch name, float64, row-major in its own shape. */
  readParameters(): Promise<Map<string, Float64Array>>;
  /** Frees what the backend holds; safe to call twice. */
  dispose(): void;
}

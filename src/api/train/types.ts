import type { NonFinitePolicy } from '../../core/non-finite.js';
import type { Tensor } from '../../core/tensor.js';
import type { LossKind, OptimizerKind } from '../../core/training.js';

/**
 * The optimizer, as torch.optim defines it. Defaults: lr 1e-3 for Adam/AdamW and 1e-2 for SGD
 * (Keras's SGD default; torch has none), betas [0.9, 0.999], eps 1e-8 (Keras's Adam uses 1e-7),
 * weightDecay 0 (1e-2 for AdamW, as torch.optim.AdamW), momentum 0.
 */
export interface OptimizerOptions {
  readonly kind: OptimizerKind;
  readonly lr?: number;
  readonly betas?: readonly [number, number];
  readonly eps?: number;
  /** Adam and SGD: L2 added to the gradient; AdamW: decoupled decay θ ← θ(1 − lr·λ). */
  readonly weightDecay?: number;
  /** SGD only. */
  readonly momentum?: number;
}

/** How a trainer trains: `backend.train(model, options)`. */
export interface TrainOptions {
  /** The loss; it must fit the head's output layer (see docs/training.md, "Losses"). */
  readonly loss: LossKind;
  /** Default { kind: 'adam' } with torch.optim.Adam's defaults. */
  readonly optimizer?: OptimizerOptions;
  /** Clip the global gradient norm to this before each update (clip_grad_norm_); none when absent. */
  readonly clipNorm?: number;
  /** Keras's single bias per gate: bias_hh folded into bias_ih and held at zero. Default false. */
  readonly singleBias?: boolean;
  /**
   * WebGPU only: 'sequence' walks time forward and backward in one persistent dispatch per layer
   * and direction (H ≤ 256), 'steps' in one dispatch per step; 'auto' (default) picks 'sequence'
   * where it fits. Both give the same gradients to float32 rounding.
   */
  readonly recurrence?: 'auto' | 'sequence' | 'steps';
  /**
   * A step whose gradients hold NaN or ±Infinity (from a finite loss: overflow in the backward
   * pass) has its update skipped on every backend, so no NaN reaches the parameters, and is
   * counted in the history: 'skip' (default) goes on, 'error' rejects fit with NON_FINITE naming
   * the epoch and the minibatch (PyTorch's clip_grad_norm_(error_if_nonfinite=True)). The global
   * norm for clipNorm is computed overflow-safely (scaled by the largest |g| first), so finite
   * gradients are never clipped to zero because Σg² overflowed float32.
   */
  readonly nonFiniteGradients?: 'skip' | 'error';
}

/**
 * The data of one call: x is [T, B, I] (or [B, T, I] with batchFirst), flat and row-major, as for
 * forward; h0/c0 are [L·D, B, H] per-sequence initial states, lengths per-sequence valid steps.
 */
export interface DataOptions {
  readonly steps: number;
  readonly batch: number;
  readonly lengths?: ArrayLike<number>;
  readonly h0?: ArrayLike<number>;
  readonly c0?: ArrayLike<number>;
  /** NaN, ±Infinity or values beyond float32's range in x, h0 or c0 (forward's option); y is always checked. */
  readonly nonFinite?: NonFinitePolicy;
}

/** x and y of a validation set, with its own data options. */
export interface ValidationData extends DataOptions {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

export interface EpochLogs {
  /** The epoch's training loss: the batches' losses averaged over samples, as Keras reports it. */
  readonly loss: number;
  /** The validation loss after the epoch, when there is validation data. */
  readonly valLoss?: number;
  /** Wall-clock milliseconds the epoch took, validation included. */
  readonly milliseconds: number;
  /** Gradient values that were NaN or ±Infinity over the epoch's steps. */
  readonly nonFiniteGradients: number;
  /** The epoch's steps whose update was skipped because a gradient was not finite. */
  readonly skippedUpdates: number;
}

export interface BatchLogs {
  /** The minibatch's mean loss, before its update. */
  readonly loss: number;
  /** Sequences in the minibatch. */
  readonly size: number;
}

export interface FitOptions extends DataOptions {
  /** Default 1. */
  readonly epochs?: number;
  /** Sequences per optimizer step; default 32 (Keras), at most B. The last minibatch may be smaller. */
  readonly batchSize?: number;
  /** Reshuffle the training sequences every epoch (default true), from `seed` (default 0). */
  readonly shuffle?: boolean;
  readonly seed?: number;
  /** The last fraction of the sequences (before any shuffle), held out for validation, as Keras. */
  readonly validationSplit?: number;
  readonly validationData?: ValidationData;
  readonly onEpochEnd?: (epoch: number, logs: EpochLogs) => void | Promise<void>;
  readonly onBatchEnd?: (batch: number, logs: BatchLogs) => void | Promise<void>;
  /** Stops between minibatches; fit then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Per epoch, as Keras's History.history. */
export interface History {
  readonly loss: number[];
  readonly valLoss?: number[];
  /** Per epoch: gradient values that were NaN or ±Infinity (as stats.nonFiniteOutputs counts for forward). */
  readonly nonFiniteGradients: number[];
  /** Per epoch: steps whose update was skipped for a non-finite gradient (parameters left as they were). */
  readonly skippedUpdates: number[];
}

export interface EvaluateOptions extends DataOptions {
  /** Evaluate in minibatches of this many sequences, averaged over samples; default: one batch (the exact mean). */
  readonly batchSize?: number;
}

/** The loss and the gradients of one batch, every tensor in its own shape and the caller's layout. */
export interface Gradients {
  readonly loss: number;
  /** Every trained parameter by PyTorch name (bias_hh left out under singleBias). */
  readonly grads: Map<string, Tensor<Float64Array>>;
  /** [T, B, I] or [B, T, I] with batchFirst. */
  readonly dx: Tensor<Float64Array>;
  /** [L·D, B, H]. */
  readonly dh0: Tensor<Float64Array>;
  readonly dc0: Tensor<Float64Array>;
}

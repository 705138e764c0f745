import type { NonFinitePolicy } from './non-finite.js';

/** Options of one forward call. x is [T, B, I] (or [B, T, I] with batchFirst), flat, row-major. */
export interface ForwardOptions {
  /** T: time steps in x. */
  readonly steps: number;
  /** B: sequences in x. */
  readonly batch: number;
  /** Initial hidden state [L·D, B, H]; zeros when absent. */
  readonly h0?: ArrayLike<number>;
  /** Initial cell state [L·D, B, H]; zeros when absent. */
  readonly c0?: ArrayLike<number>;
  /** Per-sequence lengths in 1..T (PyTorch packed-sequence semantics); all T when absent. */
  readonly lengths?: ArrayLike<number>;
  /** Record i, f, g, o, c, h of every step, layer and direction. */
  readonly trace?: boolean;
  /**
   * NaN, ±Infinity or values beyond float32's range in x, h0 or c0: 'reject' (default) refuses the
   * call naming the first one's position; 'propagate' passes them through (see NonFinitePolicy).
   */
  readonly nonFinite?: NonFinitePolicy;
}

/** The keys of ForwardOptions: a forward call refuses any other (a misspelt `lenghts` would pass silently). */
export const kForwardOptionKeys: readonly (keyof ForwardOptions)[] = ['steps', 'batch', 'h0', 'c0', 'lengths', 'trace', 'nonFinite'];

/** Upper bound on T·B: beyond it a forward call is refused as absurd rather than attempted. */
export const kMaxStepsTimesBatch = 1 << 28;

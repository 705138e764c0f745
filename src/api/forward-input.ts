import { swapLeadingAxes, type PreparedInput } from '../core/prepared-input.js';
import { formatShape, describeValue } from '../core/describe.js';
import { invalidArgument, invalidShape } from '../core/errors.js';
import { checkDimension, directionCount, type LstmConfig } from '../model/config.js';
import { checkNonFinitePolicy, enforceFinite, type NonFinitePolicy } from '../core/non-finite.js';
import { describePosition } from '../core/positions.js';

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

/** Upper bound on T·B: beyond it a forward call is refused as absurd rather than attempted. */
export const kMaxStepsTimesBatch = 1 << 28;

function toFloat64(
  name: string,
  value: ArrayLike<number>,
  expectedShape: number[],
  axes: readonly string[],
  policy: NonFinitePolicy,
): Float64Array {
  const expected = expectedShape.reduce((a, b) => a * b, 1);
  if (value === null || typeof value !== 'object' || typeof value.length !== 'number') {
    throw invalidShape(`${name}: expected ${expected} numbers for shape ${formatShape(expectedShape)}, got ${describeValue(value)}`);
  }
  if (value.length !== expected) {
    throw invalidShape(`${name}: expected ${expected} values for shape ${formatShape(expectedShape)}, got ${value.length}`);
  }
  const out = new Float64Array(expected);
  for (let i = 0; i < expected; i++) {
    const v = value[i];
    // Float64Array.from would turn null into 0 and "1" into 1: wrong numbers, silently.
    if (typeof v !== 'number') {
      throw invalidArgument(`${name} at ${describePosition(i, expectedShape, axes)} is ${describeValue(v)}; expected a number`);
    }
    out[i] = v;
  }
  enforceFinite(policy, name, out, expectedShape, axes, "nonFinite: 'propagate'");
  return out;
}

/**
 * Checks a forward call against the model (before any GPU work) and brings x to time-major.
 * Every error names the argument, the expected shape or range, and what was given.
 */
export function prepareInput(config: LstmConfig, x: ArrayLike<number>, options: ForwardOptions): PreparedInput {
  if (options === null || typeof options !== 'object') {
    throw invalidArgument(`options: expected { steps, batch, ... }, got ${describeValue(options)}`);
  }
  const T = checkDimension('options.steps', options.steps, kMaxStepsTimesBatch);
  const B = checkDimension('options.batch', options.batch, kMaxStepsTimesBatch);
  if (T * B > kMaxStepsTimesBatch) {
    throw invalidArgument(`options.steps × options.batch: expected at most ${kMaxStepsTimesBatch}, got ${T} × ${B}`);
  }
  const policy = checkNonFinitePolicy('options.nonFinite', options.nonFinite);
  const I = config.inputSize;
  const stateShape = [config.numLayers * directionCount(config), B, config.hiddenSize];
  const stateAxes = ['layer·direction', 'b', 'unit'];
  const callerShape = config.batchFirst ? [B, T, I] : [T, B, I];
  const given = toFloat64('x', x, callerShape, config.batchFirst ? ['b', 't', 'i'] : ['t', 'b', 'i'], policy);
  return {
    steps: T,
    batch: B,
    x: config.batchFirst ? swapLeadingAxes(given, B, T, I) : given,
    h0: options.h0 === undefined ? null : toFloat64('h0', options.h0, stateShape, stateAxes, policy),
    c0: options.c0 === undefined ? null : toFloat64('c0', options.c0, stateShape, stateAxes, policy),
    lengths: options.lengths === undefined ? null : checkLengths(options.lengths, T, B),
    trace: options.trace === true,
  };
}

function checkLengths(lengths: ArrayLike<number>, T: number, B: number): Int32Array {
  if (lengths === null || typeof lengths !== 'object' || lengths.length !== B) {
    const given = lengths !== null && typeof lengths === 'object' ? `${lengths.length} values` : describeValue(lengths);
    throw invalidShape(`lengths: expected ${B} values (one per sequence), got ${given}`);
  }
  const out = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const v = lengths[b];
    if (!Number.isInteger(v) || v < 1 || v > T) {
      throw invalidArgument(`lengths[${b}]: expected an integer in [1, ${T}], got ${v}`);
    }
    out[b] = v;
  }
  return out;
}

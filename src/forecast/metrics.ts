// Errors of one-step-ahead predictions, and the two baselines a forecaster has to beat.
import { invalidArgument } from '../core/errors.js';

/** Root mean squared error √(Σ (p_k − y_k)² / n), in the units of y. */
export function rmse(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (predicted.length !== truth.length || truth.length === 0) {
    throw invalidArgument(`rmse: expected two equally long non-empty arrays, got lengths ${predicted.length} and ${truth.length}`);
  }
  let sum = 0;
  for (let k = 0; k < truth.length; k++) sum += (predicted[k] - truth[k]) ** 2;
  return Math.sqrt(sum / truth.length);
}

/**
 * Persistence: ŝ_t = s_{t−lag} at each target index t (lag 1: the last value; lag = season: the
 * value one season earlier, "seasonal naive"). Every t − lag must be ≥ 0.
 */
export function laggedPrediction(series: ArrayLike<number>, targets: ArrayLike<number>, lag: number): Float64Array {
  return Float64Array.from(targets, (t) => {
    if (t - lag < 0) throw invalidArgument(`baseline: target ${t} has no value ${lag} steps earlier`);
    return series[t - lag];
  });
}

/** The series' values at the target indices. */
export function valuesAt(series: ArrayLike<number>, targets: ArrayLike<number>): Float64Array {
  return Float64Array.from(targets, (t) => series[t]);
}

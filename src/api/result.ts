import { countNonFinite } from '../core/non-finite.js';
import { swapLeadingAxes } from '../core/prepared-input.js';
import type { ForwardResult, ForwardStats, TimeMajorResult } from '../core/results.js';
import type { FloatArray, Tensor } from '../core/tensor.js';
import { directionCount, hiddenOutputSize, type LstmConfig } from '../model/config.js';

/**
 * Shapes the results for the caller (output becomes [B, T, D·H] when the model is batchFirst) and
 * counts the non-finite values in output, h_n and c_n (stats.nonFiniteOutputs), the same way for
 * every backend.
 */
export function finishResult(
  config: LstmConfig,
  steps: number,
  batch: number,
  result: TimeMajorResult,
  stats: ForwardStats,
): ForwardResult {
  const D = directionCount(config);
  const H = hiddenOutputSize(config); // the width of h: P with projSize (c_n stays hiddenSize wide)
  const stateShape = [config.numLayers * D, batch, H];
  const output = config.batchFirst ? swapLeadingAxes(result.output, steps, batch, D * H) : result.output;
  const nonFiniteOutputs = countNonFinite(result.output) + countNonFinite(result.hN) + countNonFinite(result.cN);
  return {
    output: { shape: config.batchFirst ? [batch, steps, D * H] : [steps, batch, D * H], data: output },
    hN: { shape: stateShape, data: result.hN },
    cN: { shape: [config.numLayers * D, batch, config.hiddenSize], data: result.cN },
    ...(result.trace ? { trace: result.trace } : {}),
    ...(result.prediction ? { prediction: shapePrediction(config, steps, batch, result.prediction) } : {}),
    stats: { ...stats, nonFiniteOutputs },
  };
}

/** The head's time-major prediction in the caller's layout: [B, O], or [T, B, O] / [B, T, O] over 'sequence'. */
export function shapePrediction(config: LstmConfig, steps: number, batch: number, prediction: FloatArray): Tensor {
  if (config.head?.over !== 'sequence') return { shape: [batch, prediction.length / batch], data: prediction };
  const O = prediction.length / (steps * batch);
  return config.batchFirst
    ? { shape: [batch, steps, O], data: swapLeadingAxes(prediction, steps, batch, O) }
    : { shape: [steps, batch, O], data: prediction };
}

import { swapLeadingAxes } from '../core/prepared-input.js';
import type { FloatArray, Tensor } from '../core/tensor.js';
import type { ForwardResult, ForwardStats, TimeMajorResult } from '../core/results.js';
import { directionCount, type LstmConfig } from '../model/config.js';

/** Shapes the results for the caller: output becomes [B, T, D·H] when the model is batchFirst. */
export function finishResult(
  config: LstmConfig,
  steps: number,
  batch: number,
  result: TimeMajorResult,
  stats: ForwardStats,
): ForwardResult {
  const D = directionCount(config);
  const H = config.hiddenSize;
  const stateShape = [config.numLayers * D, batch, H];
  const output = config.batchFirst ? swapLeadingAxes(result.output, steps, batch, D * H) : result.output;
  return {
    output: { shape: config.batchFirst ? [batch, steps, D * H] : [steps, batch, D * H], data: output },
    hN: { shape: stateShape, data: result.hN },
    cN: { shape: stateShape, data: result.cN },
    ...(result.trace ? { trace: result.trace } : {}),
    stats,
  };
}

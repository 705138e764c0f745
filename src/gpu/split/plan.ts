import { limitExceeded } from '../../core/errors.js';
import { directionCount, type LstmConfig } from '../../model/config.js';
import type { ForwardLimits } from '../limits.js';
import { callViolation, describeViolation } from './fit.js';

/**
 * How a forward call is run so that every buffer and dispatch fits the device:
 * - 'whole': one call, as is;
 * - 'batch': whole-model calls of at most `batchPerCall` sequences (sequences are independent, so
 *   this is exact);
 * - 'time': when one whole sequence is too much, each layer and direction runs on its own, over
 *   chunks of `stepsPerCall` steps and `batchPerCall` sequences, carrying h and c from chunk to
 *   chunk (the reverse direction walks each sequence's steps backwards, from its own last one).
 */
export type SplitPlan =
  | { readonly kind: 'whole' }
  | { readonly kind: 'batch'; readonly batchPerCall: number }
  | { readonly kind: 'time'; readonly batchPerCall: number; readonly stepsPerCall: number };

/**
 * Time chunks are made at least this long where the limits allow, before widening the batch: each
 * chunk costs a submit and a readback, each extra batch chunk another T step dispatches.
 */
const kMinStepsPerChunk = 256;

/** The largest n in [1, max] with fits(n), given that fits(1) holds and fits is monotone. */
function largestFitting(max: number, fits: (n: number) => boolean): number {
  let low = 1;
  let high = max;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** One layer and direction run alone, with the widest input any layer of `config` has. */
export function layerDirectionConfig(config: LstmConfig): LstmConfig {
  const widest = config.numLayers > 1 ? Math.max(config.inputSize, directionCount(config) * config.hiddenSize) : config.inputSize;
  return { ...config, inputSize: widest, numLayers: 1, bidirectional: false, batchFirst: false };
}

/**
 * Chooses how to run a call of (T, B, trace) within `limits`; throws LIMIT_EXCEEDED, naming the
 * limit, its value and the size asked for, when not even one step of one sequence fits.
 */
export function planSplit(
  config: LstmConfig,
  limits: ForwardLimits,
  stepStride: number,
  steps: number,
  batch: number,
  trace: boolean,
): SplitPlan {
  const wholeFits = (T: number, B: number) => callViolation(config, limits, stepStride, T, B, trace) === null;
  if (wholeFits(steps, batch)) return { kind: 'whole' };
  if (wholeFits(steps, 1)) return { kind: 'batch', batchPerCall: largestFitting(batch, (B) => wholeFits(steps, B)) };

  const single = layerDirectionConfig(config);
  const violation = callViolation(single, limits, stepStride, 1, 1, trace);
  if (violation) {
    throw limitExceeded(`${describeViolation(violation, `forward (T=${steps}, B=${batch})`)} for a single step of a single sequence, so no split can make it fit`);
  }
  const singleFits = (T: number, B: number) => callViolation(single, limits, stepStride, T, B, trace) === null;
  // Widen the batch as far as chunks of kMinStepsPerChunk steps (or as many as fit) allow, then
  // lengthen the chunks as far as that batch allows.
  const minSteps = largestFitting(Math.min(steps, kMinStepsPerChunk), (T) => singleFits(T, 1));
  const batchPerCall = largestFitting(batch, (B) => singleFits(minSteps, B));
  return { kind: 'time', batchPerCall, stepsPerCall: largestFitting(steps, (T) => singleFits(T, batchPerCall)) };
}

import type { PreparedInput } from '../../core/prepared-input.js';
import { kTraceFields, type ForwardStats, type TimeMajorResult, type TraceEntry } from '../../core/results.js';
import { directionCount, type LstmConfig } from '../../model/config.js';
import type { ForwardLimits } from '../limits.js';

/** One call's time-major results and what it cost. */
export interface PartResult extends TimeMajorResult {
  readonly stats: ForwardStats;
}

/**
 * A runner of one layer and direction alone (a one-layer, unidirectional model), for time chunks.
 * The host owns it (and may keep it for later calls); the split only runs it.
 */
export interface LayerDirectionRunner {
  run(input: PreparedInput): Promise<PartResult>;
}

/** What the split needs from the runner it splits for. */
export interface SplitHost {
  readonly config: LstmConfig;
  readonly limits: ForwardLimits;
  /** Byte stride of the step-index slots (the device's minUniformBufferOffsetAlignment). */
  readonly stepStride: number;
  /** One call of the runner's own path, for a shape that fits the limits. */
  runWhole(input: PreparedInput): Promise<PartResult>;
  openLayerDirection(layer: number, direction: number): Promise<LayerDirectionRunner>;
}

export function addStats(total: ForwardStats, part: ForwardStats): ForwardStats {
  return {
    backend: total.backend,
    dispatches: total.dispatches + part.dispatches,
    submits: total.submits + part.submits,
    readbacks: total.readbacks + part.readbacks,
  };
}

export function emptyTrace(config: LstmConfig, size: number): TraceEntry[] {
  const D = directionCount(config);
  return Array.from({ length: config.numLayers * D }, (_, ld) => ({
    layer: Math.floor(ld / D),
    direction: ld % D,
    ...(Object.fromEntries(kTraceFields.map((field) => [field, new Float32Array(size)])) as Record<(typeof kTraceFields)[number], Float32Array>),
  }));
}


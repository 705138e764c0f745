import { kTraceFields } from '../core/results.js';
import { directionCount, type LstmConfig } from '../model/config.js';
import { headInputSize, headOutputSize } from '../model/head.js';

/** Floats per state element: (h, c), interleaved as a vec2. */
export const kStateFloats = 2;

/** A run of floats: where it starts and how many. */
export interface Region {
  readonly offset: number;
  readonly length: number;
}

/**
 * The trace buffer, [L·D, 6, T, B, H]: the kernels write layer-direction ld's field k (i, f, g,
 * o, c, h, as kTraceFields orders them) at ld·perLayerDirection + k·field.
 */
export interface TraceLayout {
  /** T·B·H: floats of one field of one layer-direction. */
  readonly field: number;
  /** 6·T·B·H. */
  readonly perLayerDirection: number;
  /** L·D·6·T·B·H. */
  readonly total: number;
}

export function traceLayout(config: LstmConfig, steps: number, batch: number): TraceLayout {
  const field = steps * batch * config.hiddenSize;
  const perLayerDirection = kTraceFields.length * field;
  return { field, perLayerDirection, total: config.numLayers * directionCount(config) * perLayerDirection };
}

/**
 * Where each result of a forward call lies in the one staging buffer, in floats: the last layer's
 * output [T, B, D·H], then each layer-direction's final (h, c) pairs [B, H, 2], then (when traced)
 * the whole trace buffer, then (with a dense head) the prediction [B, O] or [T, B, O]. The encoder
 * copies into these regions and the unpacker reads them.
 */
export interface ReadbackLayout {
  readonly output: Region;
  /** Per layer-direction. */
  readonly states: readonly Region[];
  /** Per layer-direction, its six fields of trace.field floats each; null without trace. */
  readonly trace: readonly Region[] | null;
  /** The trace buffer's layout (also when not traced: the kernels' trace_field). */
  readonly traceLayout: TraceLayout;
  /** The head's prediction, time-major; null for a model without a head. */
  readonly prediction: Region | null;
  /** Floats of the staging buffer. */
  readonly length: number;
}

export function readbackLayout(config: LstmConfig, steps: number, batch: number, trace: boolean): ReadbackLayout {
  const H = config.hiddenSize;
  const layerDirections = config.numLayers * directionCount(config);
  let end = 0;
  const take = (length: number): Region => {
    const region = { offset: end, length };
    end += length;
    return region;
  };
  const output = take(steps * batch * directionCount(config) * H);
  const states = Array.from({ length: layerDirections }, () => take(batch * H * kStateFloats));
  const layout = traceLayout(config, steps, batch);
  const traceRegions = trace ? Array.from({ length: layerDirections }, () => take(layout.perLayerDirection)) : null;
  const head = config.head;
  const prediction = head ? take((head.over === 'sequence' ? steps * batch : batch) * headOutputSize(head, headInputSize(H, directionCount(config)))) : null;
  return { output, states, trace: traceRegions, traceLayout: layout, prediction, length: end };
}

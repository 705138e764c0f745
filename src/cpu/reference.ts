import type { PreparedInput } from '../core/prepared-input.js';
import { kTraceFields, type TraceEntry } from '../core/results.js';
import { directionCount } from '../model/config.js';
import type { LSTM } from '../model/lstm.js';
import { cellStep } from './cell.js';
import { forEachLayerDirection, layerWeights } from '../model/layer-weights.js';

/** The reference's results, time-major: output [T, B, D·H], hN and cN [L·D, B, H]. */
export interface ReferenceResult {
  readonly output: Float64Array;
  readonly hN: Float64Array;
  readonly cN: Float64Array;
  readonly trace: TraceEntry[] | null;
}

/**
 * The whole network over a batch, in float64, the way the equations read. Layer k's input is layer
 * k−1's output. Sequence b runs for lengths[b] steps (PyTorch packed-sequence semantics): outputs
 * past its length stay zero, its final state is the one at its last valid step, and the reverse
 * direction starts at its own last valid step.
 */
export function referenceForward(model: LSTM, input: PreparedInput): ReferenceResult {
  const { hiddenSize: H, numLayers: L } = model.config;
  const D = directionCount(model.config);
  const { steps: T, batch: B } = input;
  const hN = new Float64Array(L * D * B * H);
  const cN = new Float64Array(L * D * B * H);
  const trace: TraceEntry[] | null = input.trace ? [] : null;
  let layerInput = input.x;
  let output = new Float64Array(T * B * D * H);

  forEachLayerDirection(model, (layer, direction) => {
    if (layer > 0 && direction === 0) {
      layerInput = output;
      output = new Float64Array(T * B * D * H);
    }
    const w = layerWeights(model, layer, direction);
    const I = w.inputSize;
    const record = trace ? newTraceEntry(layer, direction, T * B * H) : null;
    const stateIndex = layer * D + direction;
    for (let b = 0; b < B; b++) {
      const stateOffset = (stateIndex * B + b) * H;
      let h: ArrayLike<number> = input.h0 ? input.h0.subarray(stateOffset, stateOffset + H) : new Float64Array(H);
      let c: ArrayLike<number> = input.c0 ? input.c0.subarray(stateOffset, stateOffset + H) : new Float64Array(H);
      const length = input.lengths ? input.lengths[b] : T;
      for (let s = 0; s < length; s++) {
        const t = direction === 0 ? s : length - 1 - s;
        const step = cellStep(w, layerInput, (t * B + b) * I, h, c);
        output.set(step.h, (t * B + b) * D * H + direction * H);
        if (record) for (const field of kTraceFields) record[field].set(step[field], (t * B + b) * H);
        h = step.h;
        c = step.c;
      }
      hN.set(h, stateOffset);
      cN.set(c, stateOffset);
    }
    if (trace && record) trace.push(record);
  });
  return { output, hN, cN, trace };
}

function newTraceEntry(layer: number, direction: number, size: number): TraceEntry {
  return {
    layer,
    direction,
    i: new Float64Array(size),
    f: new Float64Array(size),
    g: new Float64Array(size),
    o: new Float64Array(size),
    c: new Float64Array(size),
    h: new Float64Array(size),
  };
}

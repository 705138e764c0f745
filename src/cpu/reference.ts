import type { PreparedInput } from '../core/prepared-input.js';
import { invalidArgument } from '../core/errors.js';
import { kTraceFields, type TraceEntry } from '../core/results.js';
import { directionCount, hiddenOutputSize } from '../model/config.js';
import type { LSTM } from '../model/lstm.js';
import { cellStep } from './cell.js';
import { forEachLayerDirection, layerWeights } from '../model/layer-weights.js';

/**
 * The reference's results, time-major: output [T, B, D·H], hN [L·D, B, H] and cN [L·D, B, H]
 * (with projSize P: output [T, B, D·P] and hN [L·D, B, P]).
 */
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
 * direction starts at its own last valid step. (The front door asks lengths ≥ 1; a length of 0, as
 * ONNX allows, would leave that sequence's outputs and final state zero, as onnxruntime does.)
 *
 * With goBackwards (Keras) each layer runs as the reverse direction does and writes the state after
 * reading x[t] at position T−1−t, the order Keras returns.
 */
export function referenceForward(model: LSTM, input: PreparedInput): ReferenceResult {
  const { hiddenSize: H, numLayers: L, goBackwards } = model.config;
  const R = hiddenOutputSize(model.config); // the width of h: H, or P with a projection
  const D = directionCount(model.config);
  const { steps: T, batch: B } = input;
  if (goBackwards && input.lengths && L > 1) {
    // Keras hands the next layer the reversed sequence with the unreversed mask: no consistent meaning.
    throw invalidArgument('lengths: a stacked model with goBackwards runs full sequences only (Keras passes the next layer its mask unreversed); give no lengths or one layer');
  }
  const hN = new Float64Array(L * D * B * R);
  const cN = new Float64Array(L * D * B * H);
  const trace: TraceEntry[] | null = input.trace ? [] : null;
  let layerInput = input.x;
  let output = new Float64Array(T * B * D * R);

  forEachLayerDirection(model, (layer, direction) => {
    if (layer > 0 && direction === 0) {
      layerInput = output;
      output = new Float64Array(T * B * D * R);
    }
    const w = layerWeights(model, layer, direction);
    const I = w.inputSize;
    const backwards = direction === 1 || goBackwards === true;
    const record = trace ? newTraceEntry(layer, direction, T * B * H, T * B * R) : null;
    const stateIndex = layer * D + direction;
    for (let b = 0; b < B; b++) {
      const hOffset = (stateIndex * B + b) * R;
      const cOffset = (stateIndex * B + b) * H;
      let h: ArrayLike<number> = input.h0 ? input.h0.subarray(hOffset, hOffset + R) : new Float64Array(R);
      let c: ArrayLike<number> = input.c0 ? input.c0.subarray(cOffset, cOffset + H) : new Float64Array(H);
      const length = input.lengths ? input.lengths[b] : T;
      if (length === 0) continue;
      for (let s = 0; s < length; s++) {
        const t = backwards ? length - 1 - s : s;
        const step = cellStep(w, layerInput, (t * B + b) * I, h, c);
        const at = goBackwards ? T - 1 - t : t; // where the output goes: Keras returns go_backwards outputs reversed
        output.set(step.h, (at * B + b) * D * R + direction * R);
        if (record) for (const field of kTraceFields) record[field].set(step[field], (at * B + b) * (field === 'h' ? R : H));
        h = step.h;
        c = step.c;
      }
      hN.set(h, hOffset);
      cN.set(c, cOffset);
    }
    if (trace && record) trace.push(record);
  });
  return { output, hN, cN, trace };
}

function newTraceEntry(layer: number, direction: number, size: number, hSize: number): TraceEntry {
  return {
    layer,
    direction,
    i: new Float64Array(size),
    f: new Float64Array(size),
    g: new Float64Array(size),
    o: new Float64Array(size),
    c: new Float64Array(size),
    h: new Float64Array(hSize),
  };
}

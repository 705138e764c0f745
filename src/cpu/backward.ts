import type { PreparedInput } from '../core/prepared-input.js';
import type { TraceEntry } from '../core/results.js';
import { directionCount, layerInputSize } from '../model/config.js';
import { layerWeights } from '../model/layer-weights.js';
import type { LSTM } from '../model/lstm.js';
import { paramName } from '../model/params.js';
import { cellStepBackward } from './cell-backward.js';

/** The LSTM's gradients: parameters by PyTorch name, and the inputs' (dx [T, B, I], dh0/dc0 [L·D, B, H]). */
export interface LstmGradients {
  readonly grads: Map<string, Float64Array>;
  readonly dx: Float64Array;
  readonly dh0: Float64Array;
  readonly dc0: Float64Array;
}

/**
 * Backpropagation through time over the whole network, in float64 (docs/training.md). `trace` is
 * the forward's record of every layer and direction (referenceForward with trace: true);
 * `dOutput` is ∂L/∂output [T, B, D·H] time-major and `dhN` is ∂L/∂h_n [L·D, B, H] (either may be
 * null for zero). Layers run from the top down: a layer's ∂L/∂input is the output gradient of the
 * layer below, both directions' halves. Packed semantics: sequence b runs its lengths[b] valid
 * steps in reverse of the forward's order; steps past its length take and carry nothing, and its
 * final state's gradient enters at its last valid step (forward) or at t = 0 (reverse).
 */
export function lstmBackward(
  model: LSTM,
  input: PreparedInput,
  trace: readonly TraceEntry[],
  dOutput: Float64Array | null,
  dhN: Float64Array | null,
): LstmGradients {
  const { hiddenSize: H, numLayers: L, bias } = model.config;
  const D = directionCount(model.config);
  const { steps: T, batch: B } = input;
  const grads = new Map<string, Float64Array>();
  const dh0 = new Float64Array(L * D * B * H);
  const dc0 = new Float64Array(L * D * B * H);
  let dAbove = dOutput ?? new Float64Array(T * B * D * H);

  for (let layer = L - 1; layer >= 0; layer--) {
    const I = layerInputSize(model.config, layer);
    const x = layer === 0 ? input.x : layerOutput(trace, layer - 1, D, T * B, H);
    const dBelow = new Float64Array(T * B * I);
    for (let direction = 0; direction < D; direction++) {
      const w = layerWeights(model, layer, direction);
      const saved = trace[layer * D + direction];
      const dWih = new Float64Array(4 * H * I);
      const dWhh = new Float64Array(4 * H * H);
      const db = new Float64Array(4 * H);
      const dz = new Float64Array(4 * H);
      for (let b = 0; b < B; b++) {
        const stateOffset = ((layer * D + direction) * B + b) * H;
        const length = input.lengths ? input.lengths[b] : T;
        let dh: Float64Array = dhN ? dhN.slice(stateOffset, stateOffset + H) : new Float64Array(H);
        let dc: Float64Array = new Float64Array(H);
        const dhTotal = new Float64Array(H);
        for (let s = length - 1; s >= 0; s--) {
          const t = direction === 0 ? s : length - 1 - s;
          const at = (t * B + b) * H;
          // The state this step started from: the previous step's in this direction's order, or (h0, c0).
          const prevAt = s > 0 ? ((direction === 0 ? t - 1 : t + 1) * B + b) * H : -1;
          const [hPrev, hPrevOffset] = prevAt >= 0 ? [saved.h, prevAt] : initialState(input.h0, stateOffset, H);
          const [cPrev, cPrevOffset] = prevAt >= 0 ? [saved.c, prevAt] : initialState(input.c0, stateOffset, H);
          // δh_t: from the layer above (or the head) at (t, b), in this direction's half, plus from step t+1.
          for (let j = 0; j < H; j++) dhTotal[j] = dh[j] + dAbove[(t * B + b) * D * H + direction * H + j];
          dc = cellStepBackward(saved, at, cPrev, cPrevOffset, dhTotal, dc, dz);
          // ∂W_ih += dz x_tᵀ, ∂W_hh += dz h_{t−1}ᵀ, ∂b += dz; δx_t = W_ihᵀ dz; δh_{t−1} = W_hhᵀ dz.
          const xAt = (t * B + b) * I;
          dh = new Float64Array(H);
          for (let r = 0; r < 4 * H; r++) {
            const g = dz[r];
            db[r] += g;
            for (let k = 0; k < I; k++) {
              dWih[r * I + k] += g * x[xAt + k];
              dBelow[xAt + k] += w.weightIh[r * I + k] * g;
            }
            for (let k = 0; k < H; k++) {
              dWhh[r * H + k] += g * hPrev[hPrevOffset + k];
              dh[k] += w.weightHh[r * H + k] * g;
            }
          }
        }
        dh0.set(dh, stateOffset);
        dc0.set(dc, stateOffset);
      }
      grads.set(paramName('weight_ih', layer, direction), dWih);
      grads.set(paramName('weight_hh', layer, direction), dWhh);
      if (bias) {
        grads.set(paramName('bias_ih', layer, direction), db);
        grads.set(paramName('bias_hh', layer, direction), db.slice());
      }
    }
    dAbove = dBelow;
  }
  return { grads, dx: dAbove, dh0, dc0 };
}

const kZeros = new Map<number, Float64Array>();

/** (array, offset) of a sequence's initial state: h0/c0 when given, else zeros. */
function initialState(state: Float64Array | null, offset: number, H: number): [ArrayLike<number>, number] {
  if (state) return [state, offset];
  if (!kZeros.has(H)) kZeros.set(H, new Float64Array(H));
  return [kZeros.get(H)!, 0];
}

/** Layer k's output [T, B, D·H] rebuilt from the trace's h of each direction (zero past each length). */
function layerOutput(trace: readonly TraceEntry[], layer: number, D: number, rows: number, H: number): Float64Array {
  const out = new Float64Array(rows * D * H);
  for (let d = 0; d < D; d++) {
    const h = trace[layer * D + d].h;
    for (let r = 0; r < rows; r++) out.set(h.subarray(r * H, (r + 1) * H), (r * D + d) * H);
  }
  return out;
}

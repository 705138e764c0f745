import type { ForwardResult } from '../core/results.js';
import type { HostTensor } from '../cpu/graph/host-layers.js';
import { directionCount, hiddenOutputSize } from '../model/config.js';
import type { LstmLayer } from '../model/graph/layers.js';
import type { ForwardOptions } from './forward-input.js';

/** Runs one LSTM (ours, one layer) over batch-first x [B, T, I]: a backend's runner, or the reference. */
export type LstmForward = (x: Float64Array, options: ForwardOptions) => Promise<ForwardResult>;

/**
 * A Keras LSTM or Bidirectional(LSTM) layer over x [B, T, I], as Keras (and TensorFlow.js) define
 * it, from our LSTM's results:
 *
 * - The mask (x.lengths, trailing padding) becomes the call's lengths: our LSTM then reads each
 *   sequence as Keras reads a masked one (state carried over padding; the reverse direction, and
 *   go_backwards, start at the last real step).
 * - At padding steps our LSTM outputs zeros. Keras outputs zeros there only with
 *   zero_output_for_mask (which its Bidirectional sets); otherwise — and always in TensorFlow.js —
 *   the forward direction repeats its last real output. go_backwards and the backward direction
 *   meet their padding first, while the state is still zero, so they output zeros either way.
 * - A sequence whose every step is masked keeps the zero state: its outputs are zeros.
 * - Bidirectional merges the two directions' outputs: concat [fwd, bwd], sum, mul, ave.
 * - Without return_sequences the output is the last one: h_n (per direction, then merged).
 */
export async function runLstmLayer(layer: LstmLayer, x: HostTensor, forward: LstmForward): Promise<HostTensor> {
  const [B, T] = x.shape;
  const config = layer.lstm.config;
  const D = directionCount(config);
  const H = hiddenOutputSize(config);
  const lengths = x.lengths;
  // Our LSTM takes lengths in 1..T; an all-padding sequence runs one step and is zeroed after.
  const callLengths = lengths ? Array.from(lengths, (n) => Math.max(n, 1)) : undefined;
  const result = await forward(x.data, { steps: T, batch: B, ...(callLengths ? { lengths: callLengths } : {}) });
  const empty = (b: number) => lengths !== null && lengths[b] === 0;

  if (!layer.returnSequences) {
    const out = new Float64Array(B * D * H);
    for (let b = 0; b < B; b++) {
      if (empty(b)) continue;
      for (let d = 0; d < D; d++) out.set(result.hN.data.subarray((d * B + b) * H, (d * B + b + 1) * H), (b * D + d) * H);
    }
    return merged(layer, out, [B], D, H, null);
  }

  const out = new Float64Array(result.output.data);
  const width = D * H;
  for (let b = 0; b < B; b++) {
    if (empty(b)) {
      out.fill(0, b * T * width, (b + 1) * T * width);
      continue;
    }
    const length = lengths ? lengths[b] : T;
    if (layer.zeroOutputForMask || layer.goBackwards || length === T) continue;
    // The forward direction repeats its last real output over the padding (Keras's default, TensorFlow.js).
    const last = out.slice((b * T + length - 1) * width, (b * T + length - 1) * width + H);
    for (let t = length; t < T; t++) out.set(last, (b * T + t) * width);
  }
  return merged(layer, out, [B, T], D, H, lengths);
}

/** Bidirectional's merge of [..., 2H] rows into concat (as is), sum, mul or ave [..., H]. */
function merged(layer: LstmLayer, data: Float64Array, lead: number[], D: number, H: number, lengths: Int32Array | null): HostTensor {
  const mode = layer.mergeMode;
  if (D === 1 || mode === null || mode === 'concat') return { shape: [...lead, D * H], data, lengths };
  const rows = data.length / (2 * H);
  const out = new Float64Array(rows * H);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < H; j++) {
      const f = data[r * 2 * H + j];
      const b = data[r * 2 * H + H + j];
      out[r * H + j] = mode === 'sum' ? f + b : mode === 'mul' ? f * b : (f + b) / 2;
    }
  }
  return { shape: [...lead, H], data: out, lengths };
}

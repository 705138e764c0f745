import { describeValue } from '../../core/describe.js';
import { invalidArgument } from '../../core/errors.js';
import type { GraphLayer, NormalizationLayer } from '../../model/graph/layers.js';
import { layerLabel } from '../../model/graph/sequence-model.js';
import { applyActivation } from './keras-activations.js';

/**
 * The layers between a sequence model's LSTMs, run on the host in float64 (definitions in
 * src/model/graph/layers.ts). They are small next to the LSTMs (one pass over [B, T, F], no
 * recurrence), so they stay here rather than become GPU kernels: the only GPU work of a model is
 * its LSTMs, and the host sees every value between them exactly.
 */

/** Values between layers: batch-first, row-major, with the mask as per-sequence lengths. */
export interface HostTensor {
  /** [B, ...features] */
  readonly shape: readonly number[];
  readonly data: Float64Array;
  /**
   * Keras's mask as lengths: steps t ≥ lengths[b] of sequence b are padding. Null when nothing is
   * masked. Only trailing padding is representable; a mask with a gap is refused where it is made.
   */
  readonly lengths: Int32Array | null;
}

function lastWidth(t: HostTensor): number {
  return t.shape[t.shape.length - 1];
}

/** The mask Masking or Embedding(mask_zero) makes, as lengths; a gap in it (a real step after padding) is refused. */
export function lengthsFromMask(layer: GraphLayer, mask: (b: number, t: number) => boolean, batch: number, steps: number): Int32Array | null {
  const lengths = new Int32Array(batch);
  let any = false;
  for (let b = 0; b < batch; b++) {
    let length = steps;
    while (length > 0 && !mask(b, length - 1)) length--;
    for (let t = 0; t < length; t++) {
      if (!mask(b, t)) {
        throw invalidArgument(`${layerLabel(layer)}: sequence ${b} has a masked step at t = ${t} before real steps (up to t = ${length - 1}); only trailing padding is supported (it becomes the sequence's length)`);
      }
    }
    lengths[b] = length;
    any ||= length < steps;
  }
  return any ? lengths : null;
}

function dense(x: HostTensor, kernel: Float64Array, bias: Float64Array | null, units: number): Float64Array {
  const n = lastWidth(x);
  const rows = x.data.length / n;
  const out = new Float64Array(rows * units);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < units; o++) {
      let sum = bias ? bias[o] : 0;
      for (let i = 0; i < n; i++) sum += x.data[r * n + i] * kernel[i * units + o];
      out[r * units + o] = sum;
    }
  }
  return out;
}

function normalize(layer: NormalizationLayer, x: HostTensor): Float64Array {
  const n = lastWidth(x);
  const out = new Float64Array(x.data.length);
  const gamma = layer.gamma?.data;
  const beta = layer.beta?.data;
  for (let offset = 0; offset < x.data.length; offset += n) {
    let mean = 0;
    let variance = 0;
    if (layer.kind === 'layerNorm') {
      for (let j = 0; j < n; j++) mean += x.data[offset + j];
      mean /= n;
      for (let j = 0; j < n; j++) variance += (x.data[offset + j] - mean) ** 2;
      variance /= n;
    }
    for (let j = 0; j < n; j++) {
      const m = layer.kind === 'batchNorm' ? layer.movingMean!.data[j] : mean;
      const v = layer.kind === 'batchNorm' ? layer.movingVariance!.data[j] : variance;
      out[offset + j] = ((x.data[offset + j] - m) / Math.sqrt(v + layer.epsilon)) * (gamma ? gamma[j] : 1) + (beta ? beta[j] : 0);
    }
  }
  return out;
}

function embed(layer: Extract<GraphLayer, { kind: 'embedding' }>, x: HostTensor): HostTensor {
  const [vocabulary, width] = layer.embeddings.shape;
  const [B, T] = x.shape;
  const out = new Float64Array(x.data.length * width);
  for (let k = 0; k < x.data.length; k++) {
    const id = x.data[k];
    if (!Number.isInteger(id) || id < 0 || id >= vocabulary) {
      throw invalidArgument(`x at b=${Math.floor(k / T)} t=${k % T}: ${layerLabel(layer)} expects a token id, an integer in [0, ${vocabulary - 1}], got ${describeValue(id)}`);
    }
    out.set(layer.embeddings.data.subarray(id * width, (id + 1) * width), k * width);
  }
  const lengths = layer.maskZero ? lengthsFromMask(layer, (b, t) => x.data[b * T + t] !== 0, B, T) : x.lengths;
  return { shape: [B, T, width], data: out, lengths };
}

/**
 * One host layer over `x`. LSTM layers are not run here (src/api/graph.ts runs them on the backend).
 * Throws INVALID_ARGUMENT for values the layer cannot take (a token id out of range, a mask gap).
 */
export function runHostLayer(layer: Exclude<GraphLayer, { kind: 'lstm' }>, x: HostTensor): HostTensor {
  switch (layer.kind) {
    case 'embedding':
      return embed(layer, x);
    case 'masking': {
      const [B, T, F] = x.shape;
      const isReal = (b: number, t: number) => x.data.subarray((b * T + t) * F, (b * T + t + 1) * F).some((v) => v !== layer.maskValue);
      return { ...x, lengths: lengthsFromMask(layer, isReal, B, T) };
    }
    case 'dense': {
      const units = layer.kernel.shape[1];
      const z = dense(x, layer.kernel.data, layer.bias?.data ?? null, units);
      return { shape: [...x.shape.slice(0, -1), units], data: applyActivation(layer.activation, z, units), lengths: x.lengths };
    }
    case 'activation':
      return { ...x, data: applyActivation(layer.activation, x.data, lastWidth(x)) };
    case 'identity':
      return x;
    case 'batchNorm':
    case 'layerNorm':
      return { ...x, data: normalize(layer, x) };
    case 'repeatVector': {
      const [B, F] = x.shape;
      const out = new Float64Array(B * layer.n * F);
      for (let b = 0; b < B; b++) for (let t = 0; t < layer.n; t++) out.set(x.data.subarray(b * F, (b + 1) * F), (b * layer.n + t) * F);
      return { shape: [B, layer.n, F], data: out, lengths: null };
    }
    case 'flatten':
      return { shape: [x.shape[0], x.data.length / x.shape[0]], data: x.data, lengths: null };
  }
}

import type { LayerWeights } from '../model/layer-weights.js';

/**
 * The kernels' weight layout: the four gates of hidden unit u side by side (a vec4: i, f, g, o),
 * laid out [K, H] so that one vec4 load of column k serves all four gates of one unit.
 * PyTorch's W is [4H, K] with gate blocks of H rows; out[(k·H + u)·4 + gate] = W[(gate·H + u)·K + k].
 * Rows from K up to `paddedInner` are zeros (kernels that read k four at a time need whole quads).
 */
export function packGateColumns(weight: Float64Array, hidden: number, inner: number, paddedInner = inner): Float32Array<ArrayBuffer> {
  const out = new Float32Array(gateVectorFloats(paddedInner, hidden));
  for (let gate = 0; gate < 4; gate++) {
    for (let u = 0; u < hidden; u++) {
      const row = (gate * hidden + u) * inner;
      for (let k = 0; k < inner; k++) out[(k * hidden + u) * 4 + gate] = weight[row + k];
    }
  }
  return out;
}

/** Floats of a [rows, H] array of gate vec4s. */
function gateVectorFloats(rows: number, hidden: number): number {
  return rows * hidden * 4;
}

/** b_ih + b_hh (summed in float64) as one vec4 of gates per unit: [H, 4]; zeros without bias. */
export function packBias(biasIh: Float64Array | null, biasHh: Float64Array | null, hidden: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(gateVectorFloats(1, hidden));
  if (!biasIh || !biasHh) return out;
  for (let gate = 0; gate < 4; gate++) {
    for (let u = 0; u < hidden; u++) out[u * 4 + gate] = biasIh[gate * hidden + u] + biasHh[gate * hidden + u];
  }
  return out;
}

/**
 * Peepholes P [3H] (blocks i, o, f, as ONNX's P and weight_peephole_l{k}) as one vec4 per unit in
 * the lanes of the gates they add to: [H, 4] = (P_i, P_f, 0, P_o) (lstm_peephole.wgsl).
 */
export function packPeephole(peephole: Float64Array, hidden: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(gateVectorFloats(1, hidden));
  for (let u = 0; u < hidden; u++) {
    out[u * 4] = peephole[u];
    out[u * 4 + 1] = peephole[2 * hidden + u];
    out[u * 4 + 3] = peephole[hidden + u];
  }
  return out;
}

/** One layer-direction's weights as the kernels read them, each a float32 array of gate vec4s. */
export interface PackedWeights {
  /** [I_k, H, 4] */
  readonly inputWeights: Float32Array<ArrayBuffer>;
  /** [⌈H/4⌉·4, H, 4]: zero rows past H (the sequence kernel reads h four units at a time) */
  readonly recurrentWeights: Float32Array<ArrayBuffer>;
  /** [H, 4] */
  readonly bias: Float32Array<ArrayBuffer>;
  /** [H, 4] (P_i, P_f, 0, P_o) with peepholes, else null */
  readonly peephole: Float32Array<ArrayBuffer> | null;
}

/** Rows of the packed W_hh: H rounded up to whole quads. */
export function recurrentRows(hidden: number): number {
  return Math.ceil(hidden / 4) * 4;
}

/**
 * Float counts of each packed array of a layer-direction with `inputSize` inputs and `hidden`
 * units: what packLayerWeights allocates, and so what the GPU's weight buffers hold.
 */
export function packedFloats(inputSize: number, hidden: number): Record<keyof PackedWeights, number> {
  return {
    inputWeights: gateVectorFloats(inputSize, hidden),
    recurrentWeights: gateVectorFloats(recurrentRows(hidden), hidden),
    bias: gateVectorFloats(1, hidden),
    peephole: gateVectorFloats(1, hidden),
  };
}

export function packLayerWeights(w: LayerWeights): PackedWeights {
  return {
    inputWeights: packGateColumns(w.weightIh, w.hiddenSize, w.inputSize),
    recurrentWeights: packGateColumns(w.weightHh, w.hiddenSize, w.hiddenSize, recurrentRows(w.hiddenSize)),
    bias: packBias(w.biasIh, w.biasHh, w.hiddenSize),
    peephole: w.peephole ? packPeephole(w.peephole, w.hiddenSize) : null,
  };
}

/** (h, c) pairs per state element, [B, H, 2], from separate h and c slices (zeros when absent). */
export function interleaveState(h: Float64Array | null, c: Float64Array | null, offset: number, count: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(2 * count);
  for (let i = 0; i < count; i++) {
    out[2 * i] = h ? h[offset + i] : 0;
    out[2 * i + 1] = c ? c[offset + i] : 0;
  }
  return out;
}

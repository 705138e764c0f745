import { directionCount, layerInputSize, type LstmConfig } from '../../model/config.js';
import { paramName, paramSpecs, type ParamSpec } from '../../model/params.js';
import { packGateColumns, recurrentRows } from '../pack.js';

/**
 * Where every parameter lives in the trainer's flat float32 buffers (parameters, gradients, and
 * the optimizer's state, all laid out alike).
 *
 * Why this layout: the LSTM's weights and biases are kept in the forward kernels' gate-interleaved
 * layout (src/gpu/pack.ts: element [k, u] is the vec4 of unit u's four gates at input k), so the
 * forward reads the trained parameters in place and no repack runs per step; Adam, SGD and
 * clipping are elementwise, so they do not care about the order. The weight gradients come out of
 * their GEMMs in the same layout (a vec4 of four gates per (k, u)). b_ih and b_hh stay separate
 * (their own optimizer state; weight decay treats them apart); bias_sum.wgsl adds them into the
 * forward's bias at the start of each call. The head keeps nn.Linear's layout [out, in].
 *
 * Every tensor starts on a 64-float (256-byte) boundary, so the forward kernels can bind a weight
 * as a sub-range (minStorageBufferOffsetAlignment is at most 256). Padding (and W_hh's zero rows
 * past H) is masked out of the update and never receives a gradient.
 */
export interface ParamRegion {
  readonly spec: ParamSpec;
  /** First float. */
  readonly offset: number;
  /** Floats it occupies (packed: W_hh has ⌈H/4⌉·4 rows). */
  readonly length: number;
  /** Whether it is stored gate-interleaved (every LSTM parameter) rather than row-major (the head's). */
  readonly packed: boolean;
}

export const kRegionAlign = 64;

export interface ParamLayout {
  readonly regions: ReadonlyMap<string, ParamRegion>;
  /** Floats of each flat buffer. */
  readonly total: number;
}

function packedLength(config: LstmConfig, spec: ParamSpec): number {
  const H = config.hiddenSize;
  if (spec.kind === 'weight_ih') return layerInputSize(config, spec.layer) * H * 4;
  if (spec.kind === 'weight_hh') return recurrentRows(H) * H * 4;
  return H * 4;
}

export function paramLayout(config: LstmConfig): ParamLayout {
  const regions = new Map<string, ParamRegion>();
  let end = 0;
  for (const spec of paramSpecs(config)) {
    const packed = spec.kind !== 'head_weight' && spec.kind !== 'head_bias';
    const length = packed ? packedLength(config, spec) : spec.shape.reduce((a, b) => a * b, 1);
    regions.set(spec.name, { spec, offset: end, length, packed });
    end += Math.ceil(length / kRegionAlign) * kRegionAlign;
  }
  return { regions, total: Math.max(end, kRegionAlign) };
}

/** A region's floats from a parameter in its PyTorch layout. */
function packRegion(config: LstmConfig, region: ParamRegion, data: Float64Array): Float32Array {
  if (!region.packed) return Float32Array.from(data);
  const H = config.hiddenSize;
  const inner = region.spec.kind === 'weight_ih' ? layerInputSize(config, region.spec.layer) : region.spec.kind === 'weight_hh' ? H : 1;
  return packGateColumns(data, H, inner, region.spec.kind === 'weight_hh' ? recurrentRows(H) : inner);
}

/** The parameter in its PyTorch layout from its region's floats (packGateColumns inverted). */
function unpackRegion(config: LstmConfig, region: ParamRegion, flat: Float32Array): Float64Array {
  const count = region.spec.shape.reduce((a, b) => a * b, 1);
  if (!region.packed) return Float64Array.from(flat.subarray(region.offset, region.offset + count));
  const H = config.hiddenSize;
  const inner = region.spec.shape.length === 2 ? region.spec.shape[1] : 1;
  const out = new Float64Array(count);
  for (let gate = 0; gate < 4; gate++) {
    for (let u = 0; u < H; u++) {
      for (let k = 0; k < inner; k++) out[(gate * H + u) * inner + k] = flat[region.offset + (k * H + u) * 4 + gate];
    }
  }
  return out;
}

/** The flat buffer's contents from parameters by name. */
export function packParameters(config: LstmConfig, layout: ParamLayout, params: ReadonlyMap<string, Float64Array>): Float32Array<ArrayBuffer> {
  const flat = new Float32Array(layout.total);
  for (const region of layout.regions.values()) flat.set(packRegion(config, region, params.get(region.spec.name)!), region.offset);
  return flat;
}

/** Parameters (or gradients) by name, float64 in their own shapes, from a flat buffer's contents. */
export function unpackParameters(config: LstmConfig, layout: ParamLayout, flat: Float32Array, names?: ReadonlySet<string>): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const region of layout.regions.values()) {
    if (!names || names.has(region.spec.name)) out.set(region.spec.name, unpackRegion(config, region, flat));
  }
  return out;
}

/**
 * 1 for every float the optimizer updates, 0 elsewhere: padding, W_hh's rows past H, and bias_hh
 * under singleBias (held at zero).
 */
export function trainedMask(config: LstmConfig, layout: ParamLayout, trained: ReadonlySet<string>): Float32Array<ArrayBuffer> {
  const mask = new Float32Array(layout.total);
  const H = config.hiddenSize;
  for (const region of layout.regions.values()) {
    if (!trained.has(region.spec.name)) continue;
    const used = region.spec.kind === 'weight_hh' ? H * H * 4 : region.spec.shape.reduce((a, b) => a * b, 1);
    mask.fill(1, region.offset, region.offset + used);
  }
  return mask;
}

/** The regions of layer-direction (layer, direction): weights and, with bias, both biases. */
export function lstmRegions(config: LstmConfig, layout: ParamLayout, layer: number, direction: number) {
  const get = (kind: 'weight_ih' | 'weight_hh' | 'bias_ih' | 'bias_hh') => layout.regions.get(paramName(kind, layer, direction)) ?? null;
  return { weightIh: get('weight_ih')!, weightHh: get('weight_hh')!, biasIh: get('bias_ih'), biasHh: get('bias_hh') };
}

/** L·D. */
export function layerDirections(config: LstmConfig): number {
  return config.numLayers * directionCount(config);
}

/**
 * singleBias (Keras's one bias per gate): b_ih ← b_ih + b_hh and b_hh ← 0 in the packed flat
 * buffer, so the model computes the same function with one trained bias (as the CPU backend does).
 */
export function foldRecurrentBias(layout: ReturnType<typeof paramLayout>, flat: Float32Array): void {
  for (const region of layout.regions.values()) {
    if (region.spec.kind !== 'bias_hh') continue;
    const input = layout.regions.get(region.spec.name.replace('bias_hh', 'bias_ih'))!;
    for (let k = 0; k < region.length; k++) {
      flat[input.offset + k] += flat[region.offset + k];
      flat[region.offset + k] = 0;
    }
  }
}

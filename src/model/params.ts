import { describeValue, formatShape } from '../core/describe.js';
import { invalidParameter } from '../core/errors.js';
import { enforceFinite, type NonFinitePolicy } from '../core/non-finite.js';
import { directionCount, hiddenOutputSize, layerInputSize, type LstmConfig } from './config.js';
import { denseInputSizes, headInputSize, headParamName } from './head.js';

/** The four gate blocks of every weight and bias, in PyTorch's row order. */
export const kGates = ['i', 'f', 'g', 'o'] as const;
export type Gate = (typeof kGates)[number];

/**
 * PyTorch's four, then the variants': weight_hr [P, H] (PyTorch's projection, with projSize) and
 * weight_peephole [3H] (ONNX's P for one direction, gate blocks i, o, f as ONNX orders them).
 */
export type ParamKind = 'weight_ih' | 'weight_hh' | 'bias_ih' | 'bias_hh' | 'weight_hr' | 'weight_peephole';

export interface ParamSpec {
  readonly name: string;
  /** An LSTM parameter's kind, or a dense head layer's 'head_weight' / 'head_bias'. */
  readonly kind: ParamKind | 'head_weight' | 'head_bias';
  /** The LSTM layer, or for a head parameter the dense layer K. */
  readonly layer: number;
  readonly direction: number;
  readonly shape: readonly number[];
}

/** PyTorch's name for a parameter: weight_ih_l0, bias_hh_l1_reverse, weight_hr_l0, weight_peephole_l0, ... */
export function paramName(kind: ParamKind, layer: number, direction: number): string {
  return `${kind}_l${layer}${direction === 1 ? '_reverse' : ''}`;
}

/**
 * Every parameter the config implies, in PyTorch's order (layer, direction, ih, hh, biases, then
 * weight_hr with projSize, then this library's weight_peephole with peepholes), then the head's
 * (head.K.weight [out, in], head.K.bias [out], K = 0, 1, ...).
 */
export function paramSpecs(config: LstmConfig): ParamSpec[] {
  const H = config.hiddenSize;
  const specs: ParamSpec[] = [];
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (let direction = 0; direction < directionCount(config); direction++) {
      const shapes: [ParamKind, number[]][] = [
        ['weight_ih', [4 * H, layerInputSize(config, layer)]],
        ['weight_hh', [4 * H, hiddenOutputSize(config)]],
      ];
      if (config.bias) shapes.push(['bias_ih', [4 * H]], ['bias_hh', [4 * H]]);
      if (config.projSize !== undefined) shapes.push(['weight_hr', [config.projSize, H]]);
      if (config.peepholes) shapes.push(['weight_peephole', [3 * H]]);
      for (const [kind, shape] of shapes) {
        specs.push({ name: paramName(kind, layer, direction), kind, layer, direction, shape });
      }
    }
  }
  if (config.head) {
    const inSizes = denseInputSizes(config.head, headInputSize(hiddenOutputSize(config), directionCount(config)));
    config.head.layers.forEach((dense, k) => {
      specs.push({ name: headParamName('weight', k), kind: 'head_weight', layer: k, direction: 0, shape: [dense.outFeatures, inSizes[k]] });
      specs.push({ name: headParamName('bias', k), kind: 'head_bias', layer: k, direction: 0, shape: [dense.outFeatures] });
    });
  }
  return specs;
}

export type ParamMap = ReadonlyMap<string, Float64Array>;

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Checks that `params` holds exactly the parameters of `config`, each with the right shape and, under
 * the 'reject' policy, only finite values within float32's range. Shapes are given beside the data so
 * a [4H, I] vs [I, 4H] mix-up is caught even when the element counts agree.
 */
export function validateParams(
  config: LstmConfig,
  params: ReadonlyMap<string, { shape: readonly number[]; data: ArrayLike<number> }>,
  nonFinite: NonFinitePolicy = 'reject',
): Map<string, Float64Array> {
  const specs = paramSpecs(config);
  const expectedNames = new Set(specs.map((s) => s.name));
  for (const name of params.keys()) {
    if (!expectedNames.has(name)) {
      throw invalidParameter(
        `params: unknown parameter ${JSON.stringify(name)}; this config expects ${[...expectedNames].join(', ')}`,
      );
    }
  }
  const result = new Map<string, Float64Array>();
  for (const spec of specs) {
    const given = params.get(spec.name);
    if (!given) throw invalidParameter(`${spec.name}: missing; expected shape ${formatShape(spec.shape)}`);
    const sameShape =
      given.shape.length === spec.shape.length && given.shape.every((d, i) => d === spec.shape[i]);
    if (!sameShape) {
      throw invalidParameter(`${spec.name}: expected shape ${formatShape(spec.shape)}, got ${formatShape(given.shape)}`);
    }
    if (given.data.length !== elementCount(spec.shape)) {
      throw invalidParameter(
        `${spec.name}: shape ${formatShape(spec.shape)} needs ${elementCount(spec.shape)} values, got ${given.data.length}`,
      );
    }
    const data = new Float64Array(given.data.length);
    for (let i = 0; i < data.length; i++) {
      // Float64Array.from would read null as 0 and "1" as 1: wrong weights, silently.
      if (typeof given.data[i] !== 'number') throw invalidParameter(`${spec.name}: value at flat index ${i} is ${describeValue(given.data[i])}; expected a number`);
      data[i] = given.data[i];
    }
    const axes = spec.shape.length === 2 ? ['row', 'column'] : ['row'];
    enforceFinite(nonFinite, spec.name, data, spec.shape, axes, "the model option nonFinite: 'propagate'");
    result.set(spec.name, data);
  }
  return result;
}

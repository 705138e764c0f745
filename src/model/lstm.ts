import type { Tensor } from '../core/tensor.js';
import { checkNonFinitePolicy, type NonFinitePolicy } from '../core/non-finite.js';
import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';
import { checkKnownKeys } from '../core/nearest-key.js';
import { kVariantFields, normalizeConfig, type LstmConfig, type LstmConfigInput } from './config.js';
import { paramSpecs, validateParams, type ParamMap } from './params.js';
import { SeededRandom } from './random.js';
import { initialParams, type InitScheme } from './initializers.js';

export interface RandomInit {
  /** Seed of the generator: the same seed gives the same weights everywhere. Default 0. */
  readonly seed?: number;
  /**
   * 'uniform' (default) is PyTorch's U(−1/√H, 1/√H) for every weight and bias; 'normal' draws
   * N(0, std²) with std defaulting to 1/√H.
   */
  readonly distribution?: 'uniform' | 'normal';
  readonly std?: number;
  /**
   * 'pytorch' (default): the above for the LSTM, nn.Linear's U(−1/√in, 1/√in) for the head.
   * 'keras': Keras's glorot-uniform / orthogonal / unit-forget-bias initialisers for the whole
   * model (distribution and std are then unused). See docs/model.md, "Initialisation".
   */
  readonly init?: InitScheme;
}

export interface ModelOptions {
  /**
   * NaN, ±Infinity or values beyond float32's range in the parameters: 'reject' (default) refuses
   * the model naming the first one's parameter and position; 'propagate' keeps them (the outputs
   * they reach are then NaN or ±Infinity on both backends).
   */
  readonly nonFinite?: NonFinitePolicy;
}

/** Every key LSTM.random takes: the config's and RandomInit's. */
const kRandomKeys = ['inputSize', 'hiddenSize', 'numLayers', 'bidirectional', 'bias', 'batchFirst', 'head', ...kVariantFields, 'seed', 'distribution', 'std', 'init'] satisfies (keyof (LstmConfigInput & RandomInit))[];
// A key added to the config or to RandomInit but not to the list above fails to compile here.
const kEveryRandomKeyListed: [Exclude<keyof (LstmConfigInput & RandomInit), (typeof kRandomKeys)[number]>] extends [never] ? true : false = true;
void kEveryRandomKeyListed;

/**
 * An LSTM as plain data: its config and its parameters in PyTorch's layout and names (float64, so
 * the CPU reference sees exactly what was imported). Backends turn it into something that runs.
 *
 * @example
 * const model = LSTM.random({ inputSize: 8, hiddenSize: 64, numLayers: 2, seed: 42 });
 * model.param('weight_hh_l1').length; // 4·64·64
 */
export class LSTM {
  readonly config: LstmConfig;
  /** The model's nonFinite option ('reject' unless 'propagate' was given); a trained copy keeps it. */
  readonly nonFinite: NonFinitePolicy;
  private readonly params: ParamMap;

  /** Validates every parameter against the config; a wrong shape names the parameter and both shapes. */
  constructor(config: LstmConfigInput, params: ReadonlyMap<string, Tensor<ArrayLike<number>>>, options: ModelOptions = {}) {
    this.config = normalizeConfig(config);
    this.nonFinite = checkNonFinitePolicy('nonFinite', options?.nonFinite);
    this.params = validateParams(this.config, params, this.nonFinite);
  }

  /** Seeded initialisation, PyTorch's U(−1/√H, 1/√H) by default (and nn.Linear's for a head). */
  static random(config: LstmConfigInput & RandomInit): LSTM {
    // Before normalizeConfig, so that a typo (hidenSize) is named as such, not as a missing hiddenSize.
    if (config !== null && typeof config === 'object') checkKnownKeys('LSTM.random', config, kRandomKeys);
    const normalized = normalizeConfig(config);
    const rng = new SeededRandom(config.seed ?? 0);
    const bound = 1 / Math.sqrt(normalized.hiddenSize);
    const std = config.std ?? bound;
    const draw =
      config.distribution === 'normal' ? () => rng.normal(0, std) : () => rng.uniform(-bound, bound);
    const init = config.init ?? 'pytorch';
    if (init !== 'pytorch' && init !== 'keras') throw invalidArgument(`init: expected 'pytorch' or 'keras', got ${describeValue(init)}`);
    return new LSTM(normalized, initialParams(normalized, paramSpecs(normalized), rng, init, draw));
  }

  /**
   * One parameter's row-major values, by its PyTorch name (weight_ih_l0, bias_hh_l1_reverse, ...):
   * the model's own array, for reading (tensors() gives copies to change).
   */
  param(name: string): Float64Array {
    const value = this.params.get(name);
    if (!value) throw new RangeError(`param: no parameter named ${JSON.stringify(name)}`);
    return value;
  }

  /**
   * All parameters as {shape, data} tensors, in PyTorch's order. The data are copies: changing them
   * changes nothing in this model (whose parameters were checked once, when it was made).
   */
  tensors(): Map<string, Tensor<Float64Array>> {
    return new Map(paramSpecs(this.config).map((spec) => [spec.name, { shape: spec.shape, data: this.param(spec.name).slice() }]));
  }
}

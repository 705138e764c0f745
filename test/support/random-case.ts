import type { ForwardOptions } from '../../src/api/forward-input.js';
import { directionCount, type LstmConfigInput } from '../../src/model/config.js';
import { LSTM } from '../../src/model/lstm.js';
import { SeededRandom } from '../../src/model/random.js';

export interface CaseSpec extends LstmConfigInput {
  readonly steps: number;
  readonly batch: number;
  readonly seed?: number;
  /** Scale of x (and h0/c0): uniform in [−scale, scale]. */
  readonly inputScale?: number;
  /** Weights uniform in [−weightScale, weightScale] instead of PyTorch's default bound. */
  readonly weightScale?: number;
  readonly withState?: boolean;
  readonly lengths?: readonly number[];
  readonly trace?: boolean;
}

const kConfigKeys = ['inputSize', 'hiddenSize', 'numLayers', 'bidirectional', 'bias', 'batchFirst', 'head', 'activations', 'peepholes', 'cellClip', 'inputForget', 'goBackwards', 'projSize'] as const;

/** A seeded model and input for a GPU-vs-CPU comparison. */
export function randomCase(spec: CaseSpec): { model: LSTM; x: Float64Array; options: ForwardOptions } {
  const seed = spec.seed ?? 1;
  // LSTM.random refuses keys it does not know: hand it the model's config only.
  const config = Object.fromEntries(kConfigKeys.filter((key) => spec[key] !== undefined).map((key) => [key, spec[key]])) as unknown as LstmConfigInput;
  const model = spec.weightScale ? scaledModel(config, seed, spec.weightScale) : LSTM.random({ ...config, seed });
  const rng = new SeededRandom(seed + 1000);
  const scale = spec.inputScale ?? 1;
  const draw = (n: number) => Float64Array.from({ length: n }, () => rng.uniform(-scale, scale));
  const stateSize = model.config.numLayers * directionCount(model.config) * spec.batch * model.config.hiddenSize;
  const options: ForwardOptions = {
    steps: spec.steps,
    batch: spec.batch,
    ...(spec.withState ? { h0: draw(stateSize), c0: draw(stateSize) } : {}),
    ...(spec.lengths ? { lengths: spec.lengths } : {}),
    ...(spec.trace ? { trace: true } : {}),
  };
  return { model, x: draw(spec.steps * spec.batch * spec.inputSize), options };
}

function scaledModel(spec: LstmConfigInput, seed: number, scale: number): LSTM {
  const unit = LSTM.random({ ...spec, seed });
  const bound = 1 / Math.sqrt(unit.config.hiddenSize);
  const params = unit.tensors();
  for (const tensor of params.values()) tensor.data.forEach((v, i, a) => (a[i] = (v / bound) * scale));
  return new LSTM(unit.config, params);
}

import { describeValue } from '../../core/describe.js';
import { invalidArgument } from '../../core/errors.js';
import { own, type LayerSpec } from './topology.js';

/**
 * How a file means what depends on where it comes from: hard_sigmoid's slope (0.2 in Keras 2 and
 * TensorFlow.js, 1/6 from Keras 3 on: keras.activations.hard_sigmoid of each), and which runtime's
 * masking rules apply (TensorFlow.js ignores zero_output_for_mask, Keras honours it).
 */
export interface Vintage {
  readonly hardSigmoidSlope: number;
  readonly runtime: 'keras' | 'tfjs';
}

/**
 * The vintage a file's keras_version ("2.2.4", "3.8.0", "tfjs-layers 4.22.0") and config style say.
 * A model trained in Keras 3 keeps Keras 3's hard_sigmoid even inside a TensorFlow.js model.json:
 * the slope is what the model was trained with.
 */
export function vintageOf(kerasVersion: string | undefined, keras3Topology: boolean, runtime: Vintage['runtime']): Vintage {
  const keras3 = kerasVersion !== undefined && !kerasVersion.startsWith('tfjs') ? /^3\./.test(kerasVersion) : keras3Topology;
  return Object.freeze({ hardSigmoidSlope: keras3 ? 1 / 6 : 0.2, runtime });
}

export function unsupported(layer: LayerSpec, what: string): never {
  throw invalidArgument(`layer ${JSON.stringify(layer.name)} (${layer.className}): ${what}`);
}

export function numberOption(layer: LayerSpec, key: string, fallback: number): number {
  const value = own(layer.config, key) ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) unsupported(layer, `${key}: expected a number, got ${describeValue(value)}`);
  return value;
}

export function flagOption(layer: LayerSpec, key: string, fallback: boolean): boolean {
  const value = own(layer.config, key) ?? fallback;
  if (typeof value !== 'boolean') unsupported(layer, `${key}: expected true or false, got ${describeValue(value)}`);
  return value;
}


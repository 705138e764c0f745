import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';
import type { HeadConfig, HeadConfigInput } from '../model/head.js';

/** The head in the model file: `"head": {"layers": [{"out_features": 32, "activation": "relu"}], "over": "last"}`. */
export interface HeadJSON {
  layers: { out_features: number; activation: string }[];
  over: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkKeys(name: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw invalidArgument(`${name}.${key}: unknown key; expected ${known.join(', ')}`);
  }
}

/**
 * Reads `config.head` from untrusted JSON into the config's input form (snake_case keys become
 * camelCase; only own, known keys are read). The values are checked by normalizeHead
 * (src/model/head.ts) when the config is normalized.
 */
export function headFromJSON(value: unknown): HeadConfigInput {
  if (!isObject(value)) throw invalidArgument(`config.head: expected {"layers": [...], "over": "last" | "sequence"}, got ${describeValue(value)}`);
  checkKeys('config.head', value, ['layers', 'over']);
  const layers = Object.hasOwn(value, 'layers') ? value.layers : undefined;
  if (!Array.isArray(layers)) throw invalidArgument(`config.head.layers: expected a list of {"out_features", "activation"}, got ${describeValue(layers)}`);
  return {
    layers: layers.map((layer: unknown, k: number) => {
      if (!isObject(layer)) throw invalidArgument(`config.head.layers[${k}]: expected {"out_features": n, "activation": "..."}, got ${describeValue(layer)}`);
      checkKeys(`config.head.layers[${k}]`, layer, ['out_features', 'activation']);
      return { outFeatures: layer.out_features, ...(Object.hasOwn(layer, 'activation') ? { activation: layer.activation } : {}) };
    }),
    ...(Object.hasOwn(value, 'over') ? { over: value.over } : {}),
  } as HeadConfigInput;
}

export function headToJSON(head: HeadConfig): HeadJSON {
  return { layers: head.layers.map((l) => ({ out_features: l.outFeatures, activation: l.activation })), over: head.over };
}

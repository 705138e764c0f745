import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';
import type { LstmConfig, LstmConfigInput } from '../model/config.js';
import type { CellActivation, LstmActivationsInput } from '../model/variants.js';

/**
 * The LSTM variants in the model file's config (src/model/variants.ts has the equations), each
 * written only when the model has it, so a plain model's file is unchanged:
 *
 *   "activations": {"gate": "hard_sigmoid" | {"kind": "hard_sigmoid", "alpha": 0.2, "beta": 0.5},
 *                   "candidate": "tanh", "cell_output": "tanh"},
 *   "peepholes": true, "cell_clip": 3.0, "input_forget": true, "go_backwards": true,
 *   "proj_size": 4      (PyTorch's constructor argument; 0 means none)
 */
export type ActivationJSON = string | { kind: string; alpha?: number; beta?: number };

export interface VariantsJSON {
  activations?: { gate: ActivationJSON; candidate: ActivationJSON; cell_output: ActivationJSON };
  peepholes?: boolean;
  cell_clip?: number;
  input_forget?: boolean;
  go_backwards?: boolean;
  proj_size?: number;
}

/** Model-file config keys of the variants and the config fields they fill. */
export const kVariantJSONKeys: Readonly<Record<string, keyof LstmConfigInput>> = Object.freeze({
  activations: 'activations',
  peepholes: 'peepholes',
  cell_clip: 'cellClip',
  input_forget: 'inputForget',
  go_backwards: 'goBackwards',
  proj_size: 'projSize',
});

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `config.activations` from untrusted JSON into the config's input form (cell_output becomes
 * cellOutput; only own, known keys are read). normalizeConfig checks the values.
 */
export function activationsFromJSON(value: unknown): LstmActivationsInput {
  if (!isObject(value)) throw invalidArgument(`config.activations: expected {"gate", "candidate", "cell_output"}, got ${describeValue(value)}`);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const target = { gate: 'gate', candidate: 'candidate', cell_output: 'cellOutput' }[key];
    if (!target) throw invalidArgument(`config.activations.${key}: unknown key; expected gate, candidate, cell_output`);
    out[target] = value[key];
  }
  return out as LstmActivationsInput;
}

function activationToJSON(activation: CellActivation): ActivationJSON {
  if (activation.alpha === undefined && activation.beta === undefined) return activation.kind;
  return { ...activation };
}

/** The variant keys of a model file's config: {} for a plain LSTM. */
export function variantsToJSON(config: LstmConfig): VariantsJSON {
  const { activations: a } = config;
  return {
    ...(a ? { activations: { gate: activationToJSON(a.gate), candidate: activationToJSON(a.candidate), cell_output: activationToJSON(a.cellOutput) } } : {}),
    ...(config.peepholes ? { peepholes: true } : {}),
    ...(config.cellClip !== undefined ? { cell_clip: config.cellClip } : {}),
    ...(config.inputForget ? { input_forget: true } : {}),
    ...(config.goBackwards ? { go_backwards: true } : {}),
    ...(config.projSize !== undefined ? { proj_size: config.projSize } : {}),
  };
}

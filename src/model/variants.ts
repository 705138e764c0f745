import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';

/**
 * The LSTM variants other frameworks' files carry, beside PyTorch's plain LSTM (ONNX operator spec
 * "LSTM", opset 14; Keras LSTM; torch.nn.LSTM's proj_size). Every one is optional: a config without
 * them is PyTorch's LSTM, and a normalized config holds a variant field only when it differs from
 * that default, so plain models look (and serialize) exactly as before.
 *
 * With them the step reads (ONNX's notation: f = gate activation, g = candidate, h = cell output;
 * clip() bounds every pre-activation to [−cellClip, cellClip]; P the peepholes):
 *
 *   i = f(clip(W_i x + R_i h + P_i ⊙ c + b_i))
 *   f = 1 − i                                   with inputForget, else f(clip(W_f x + R_f h + P_f ⊙ c + b_f))
 *   g = g(clip(W_g x + R_g h + b_g))
 *   c' = f ⊙ c + i ⊙ g
 *   o = f(clip(W_o x + R_o h + P_o ⊙ c' + b_o))  (the output gate's peephole reads the new cell)
 *   h' = W_hr (o ⊙ h(c'))                        with projSize, else o ⊙ h(c')
 */

/** ONNX's list of RNN activation functions (ONNX operator spec, RNN/GRU/LSTM "activations"). */
export const kCellActivationKinds = [
  'sigmoid',
  'hard_sigmoid',
  'tanh',
  'relu',
  'affine',
  'softsign',
  'softplus',
  'elu',
  'leaky_relu',
  'thresholded_relu',
  'scaled_tanh',
] as const;
export type CellActivationKind = (typeof kCellActivationKinds)[number];

/**
 * One activation with its parameters. The normalized form always carries the ones its kind uses:
 *
 * - affine: α·x + β (α = 1, β = 0 by default: 'linear', Keras's identity, is affine(1, 0))
 * - hard_sigmoid: min(max(α·x + β, 0), 1). ONNX's defaults α = 0.2, β = 0.5 are Keras 2's and
 *   TensorFlow.js's clip(0.2x + 0.5); Keras 3 means α = 1/6 (clip(x/6 + 0.5)); file readers say which.
 * - leaky_relu: x if x ≥ 0 else α·x (α = 0.01)
 * - thresholded_relu: x if x > α else 0 (α = 1)
 * - scaled_tanh: α·tanh(β·x) (α = β = 1)
 * - elu: x if x ≥ 0 else α·(eˣ − 1) (α = 1)
 * - sigmoid, tanh, relu, softsign x/(1 + |x|), softplus log(1 + eˣ): no parameters.
 *
 * The defaults are ONNX's (the standalone operators' defaults, which onnxruntime applies to the RNN
 * activations when activation_alpha/activation_beta leave them out).
 */
export interface CellActivation {
  readonly kind: CellActivationKind;
  readonly alpha?: number;
  readonly beta?: number;
}

/** The parameters each kind uses, with their defaults. */
export const kActivationDefaults: Readonly<Record<CellActivationKind, { alpha?: number; beta?: number }>> = Object.freeze({
  sigmoid: {},
  hard_sigmoid: { alpha: 0.2, beta: 0.5 },
  tanh: {},
  relu: {},
  affine: { alpha: 1, beta: 0 },
  softsign: {},
  softplus: {},
  elu: { alpha: 1 },
  leaky_relu: { alpha: 0.01 },
  thresholded_relu: { alpha: 1 },
  scaled_tanh: { alpha: 1, beta: 1 },
});

/** The three activations: ONNX's f (the i, f, o gates), g (the candidate) and h (applied to c' for h'). */
export interface LstmActivations {
  readonly gate: CellActivation;
  readonly candidate: CellActivation;
  readonly cellOutput: CellActivation;
}

export type CellActivationInput = CellActivationKind | 'linear' | { readonly kind: CellActivationKind | 'linear'; readonly alpha?: number; readonly beta?: number };

export interface LstmActivationsInput {
  readonly gate?: CellActivationInput;
  readonly candidate?: CellActivationInput;
  readonly cellOutput?: CellActivationInput;
}

/** PyTorch's (and ONNX's default) activations: sigmoid gates, tanh candidate and cell output. */
export const kDefaultActivations: LstmActivations = Object.freeze({
  gate: Object.freeze({ kind: 'sigmoid' }),
  candidate: Object.freeze({ kind: 'tanh' }),
  cellOutput: Object.freeze({ kind: 'tanh' }),
});

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkParameter(name: string, value: unknown, fallback: number | undefined): number | undefined {
  if (fallback === undefined) {
    if (value !== undefined) throw invalidArgument(`${name}: this activation takes no such parameter, got ${describeValue(value)}`);
    return undefined;
  }
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidArgument(`${name}: expected a finite number, got ${describeValue(value)}`);
  return value;
}

/** Validates one activation and fills its parameters' defaults ('linear' becomes affine(1, 0)). */
export function normalizeActivation(name: string, input: unknown): CellActivation {
  const given = typeof input === 'string' ? { kind: input } : input;
  if (!isObject(given)) throw invalidArgument(`${name}: expected an activation name or { kind, alpha, beta }, got ${describeValue(input)}`);
  for (const key of Object.keys(given)) {
    if (key !== 'kind' && key !== 'alpha' && key !== 'beta') throw invalidArgument(`${name}.${key}: unknown key; expected kind, alpha, beta`);
  }
  const kind = given.kind === 'linear' ? 'affine' : given.kind;
  if (!(kCellActivationKinds as readonly unknown[]).includes(kind)) {
    throw invalidArgument(`${name}: expected one of ${kCellActivationKinds.join(', ')} (or linear), got ${describeValue(given.kind)}`);
  }
  const defaults = kActivationDefaults[kind as CellActivationKind];
  const alpha = checkParameter(`${name}.alpha`, given.alpha, defaults.alpha);
  const beta = checkParameter(`${name}.beta`, given.beta, defaults.beta);
  return Object.freeze({ kind: kind as CellActivationKind, ...(alpha === undefined ? {} : { alpha }), ...(beta === undefined ? {} : { beta }) });
}

function sameActivation(a: CellActivation, b: CellActivation): boolean {
  return a.kind === b.kind && a.alpha === b.alpha && a.beta === b.beta;
}

/** The three activations, defaults filled; undefined when they are PyTorch's (so the config stays plain). */
export function normalizeActivations(input: unknown): LstmActivations | undefined {
  if (input === undefined) return undefined;
  const name = 'config.activations';
  if (!isObject(input)) throw invalidArgument(`${name}: expected { gate, candidate, cellOutput }, got ${describeValue(input)}`);
  for (const key of Object.keys(input)) {
    if (key !== 'gate' && key !== 'candidate' && key !== 'cellOutput') throw invalidArgument(`${name}.${key}: unknown key; expected gate, candidate, cellOutput`);
  }
  const resolved: LstmActivations = Object.freeze({
    gate: normalizeActivation(`${name}.gate`, input.gate ?? kDefaultActivations.gate),
    candidate: normalizeActivation(`${name}.candidate`, input.candidate ?? kDefaultActivations.candidate),
    cellOutput: normalizeActivation(`${name}.cellOutput`, input.cellOutput ?? kDefaultActivations.cellOutput),
  });
  const plain = (['gate', 'candidate', 'cellOutput'] as const).every((k) => sameActivation(resolved[k], kDefaultActivations[k]));
  return plain ? undefined : resolved;
}

/** The cell clip: a positive finite bound, or undefined for none (0 and undefined both mean none). */
export function normalizeCellClip(value: unknown): number | undefined {
  if (value === undefined || value === 0) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidArgument(`config.cellClip: expected a positive finite number (or 0 / absent for none), got ${describeValue(value)}`);
  }
  return value;
}

import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';

/**
 * The dense head: a stack of fully connected layers after the LSTM, as Keras's `Dense` layers after
 * an `LSTM` or PyTorch's `nn.Sequential(nn.Linear, activation, ...)` applied to its output.
 *
 * Layer K maps in_K features to out_K: y = act(W_K · x + b_K), W_K [out_K, in_K] and b_K [out_K]
 * (nn.Linear's layout), parameters `head.K.weight` and `head.K.bias`. in_0 = D·H, in_K = out_{K−1}.
 */

/**
 * Activations a dense layer may end with. 'softmax' and 'log_softmax' run over the layer's out
 * features (torch.nn.Softmax(dim=-1), torch.nn.LogSoftmax(dim=-1)):
 *   softmax(z)_j = exp(z_j) / Σ_k exp(z_k)      log_softmax(z)_j = z_j − log Σ_k exp(z_k)
 */
export const kActivations = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'log_softmax'] as const;
export type Activation = (typeof kActivations)[number];

export interface DenseLayerConfig {
  readonly outFeatures: number;
  readonly activation: Activation;
}

/**
 * What the head reads:
 * - 'last': the last layer's final hidden state, [B, D·H] — h_n[−1], or for two directions the
 *   forward state at each sequence's last valid step beside the backward state at t = 0 (Keras's
 *   LSTM without `return_sequences`). The prediction is [B, O].
 * - 'sequence': every output step, [T, B, D·H] (Keras's `return_sequences=True` then Dense). The
 *   prediction is [T, B, O] ([B, T, O] with batchFirst). At steps past a sequence's length the LSTM
 *   output is zero (PyTorch's padded packed output), so the prediction there is what the dense
 *   stack gives on the zero vector; losses leave those steps out.
 */
export type HeadOver = 'last' | 'sequence';

export interface HeadConfig {
  /** The dense layers in order; an empty list makes the prediction the LSTM's features themselves. */
  readonly layers: readonly DenseLayerConfig[];
  /**
   * What the head reads: 'last' (default) the last layer's final hidden state [B, D·H], giving a
   * prediction [B, O]; 'sequence' every output step [T, B, D·H], giving [T, B, O] ([B, T, O] with
   * batchFirst). Keras: an LSTM without / with return_sequences=True before its Dense layers.
   */
  readonly over: HeadOver;
}

/** The bound every size in a config shares (config.ts's kMaxDimension; not imported, to keep head.ts below config.ts). */
const kMaxOutFeatures = 1 << 16;

export type HeadParamKind = 'weight' | 'bias';

/** The parameter name of dense layer K: head.0.weight, head.1.bias, ... (nn.Sequential's state_dict names). */
export function headParamName(kind: HeadParamKind, layer: number): string {
  return `head.${layer}.${kind}`;
}

/** Width of the head's input: D·H, the LSTM's output features. */
export function headInputSize(hiddenSize: number, directions: number): number {
  return hiddenSize * directions;
}

/** O: the prediction's feature count (the input width when the head has no layers). */
export function headOutputSize(head: HeadConfig, inFeatures: number): number {
  return head.layers.length === 0 ? inFeatures : head.layers[head.layers.length - 1].outFeatures;
}

/** in_K for every layer: the width each dense layer reads. */
export function denseInputSizes(head: HeadConfig, inFeatures: number): number[] {
  return head.layers.map((_, k) => (k === 0 ? inFeatures : head.layers[k - 1].outFeatures));
}

/** The final layer's activation, or 'linear' for a head without layers. */
export function outputActivation(head: HeadConfig): Activation {
  return head.layers.length === 0 ? 'linear' : head.layers[head.layers.length - 1].activation;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkKeys(name: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw invalidArgument(`${name}.${key}: unknown key; expected ${known.join(', ')}`);
  }
}

/** Input form of a head config: `over` defaults to 'last', each activation to 'linear'. */
export interface HeadConfigInput {
  /** The dense layers in order: out features (an integer ≥ 1) and the activation (default 'linear'). */
  readonly layers: readonly { readonly outFeatures: number; readonly activation?: Activation }[];
  /**
   * What the head reads: 'last' (default) the last layer's final hidden state [B, D·H], giving a
   * prediction [B, O]; 'sequence' every output step [T, B, D·H], giving [T, B, O] ([B, T, O] with
   * batchFirst). Keras: an LSTM without / with return_sequences=True before its Dense layers.
   */
  readonly over?: HeadOver;
}

/**
 * Validates a head config (`config.head`) and fills its defaults. Throws INVALID_ARGUMENT naming
 * the field (config.head.layers[1].outFeatures, ...), what it expects and what was given.
 */
export function normalizeHead(input: unknown): HeadConfig {
  const name = 'config.head';
  if (!isObject(input)) throw invalidArgument(`${name}: expected { layers: [{ outFeatures, activation }], over }, got ${describeValue(input)}`);
  checkKeys(name, input, ['layers', 'over']);
  const over = input.over ?? 'last';
  if (over !== 'last' && over !== 'sequence') throw invalidArgument(`${name}.over: expected 'last' or 'sequence', got ${describeValue(over)}`);
  if (!Array.isArray(input.layers)) throw invalidArgument(`${name}.layers: expected a list of { outFeatures, activation }, got ${describeValue(input.layers)}`);
  const layers = input.layers.map((layer: unknown, k: number): DenseLayerConfig => {
    const at = `${name}.layers[${k}]`;
    if (!isObject(layer)) throw invalidArgument(`${at}: expected { outFeatures, activation }, got ${describeValue(layer)}`);
    checkKeys(at, layer, ['outFeatures', 'activation']);
    const outFeatures = layer.outFeatures;
    if (typeof outFeatures !== 'number' || !Number.isInteger(outFeatures) || outFeatures < 1 || outFeatures > kMaxOutFeatures) {
      throw invalidArgument(`${at}.outFeatures: expected an integer in [1, ${kMaxOutFeatures}], got ${describeValue(outFeatures)}`);
    }
    const activation = layer.activation ?? 'linear';
    if (!(kActivations as readonly unknown[]).includes(activation)) {
      throw invalidArgument(`${at}.activation: expected one of ${kActivations.join(', ')}, got ${describeValue(activation)}`);
    }
    return Object.freeze({ outFeatures, activation: activation as Activation });
  });
  return Object.freeze({ layers: Object.freeze(layers), over });
}

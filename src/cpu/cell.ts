import type { LayerWeights } from '../model/layer-weights.js';
import { sigmoid, tanh } from './activations.js';

/** Everything one step computes for one sequence: the four gates and the new state, each [H]. */
export interface CellStep {
  readonly i: Float64Array;
  readonly f: Float64Array;
  readonly g: Float64Array;
  readonly o: Float64Array;
  readonly c: Float64Array;
  readonly h: Float64Array;
}

/**
 * One LSTM step for one sequence, in float64:
 *
 *   i = σ(W_ii x + b_ii + W_hi h + b_hi)      f = σ(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)   o = σ(W_io x + b_io + W_ho h + b_ho)
 *   c' = f ⊙ c + i ⊙ g                        h' = o ⊙ tanh(c')
 *
 * `x` is read from `xs` at `xOffset` (so a row of a [T, B, I] array can be passed without a copy).
 */
export function cellStep(
  w: LayerWeights,
  xs: ArrayLike<number>,
  xOffset: number,
  h: ArrayLike<number>,
  c: ArrayLike<number>,
): CellStep {
  const I = w.inputSize;
  const H = w.hiddenSize;
  // z = (W_ih x + b_ih) + (W_hh h + b_hh): the four gate pre-activations stacked [z_i; z_f; z_g; z_o].
  // Summed in PyTorch's order, products first and each bias after its product, so that products
  // which cancel exactly (W x = 6e38 − 6e38) leave the biases intact.
  const z = new Float64Array(4 * H);
  for (let row = 0; row < 4 * H; row++) {
    let inputPart = 0;
    for (let k = 0; k < I; k++) inputPart += w.weightIh[row * I + k] * xs[xOffset + k];
    let hiddenPart = 0;
    for (let k = 0; k < H; k++) hiddenPart += w.weightHh[row * H + k] * h[k];
    if (w.biasIh && w.biasHh) {
      inputPart += w.biasIh[row];
      hiddenPart += w.biasHh[row];
    }
    z[row] = inputPart + hiddenPart;
  }
  const step: CellStep = {
    i: new Float64Array(H),
    f: new Float64Array(H),
    g: new Float64Array(H),
    o: new Float64Array(H),
    c: new Float64Array(H),
    h: new Float64Array(H),
  };
  for (let j = 0; j < H; j++) {
    step.i[j] = sigmoid(z[j]);
    step.f[j] = sigmoid(z[H + j]);
    step.g[j] = tanh(z[2 * H + j]);
    step.o[j] = sigmoid(z[3 * H + j]);
    step.c[j] = step.f[j] * c[j] + step.i[j] * step.g[j];
    step.h[j] = step.o[j] * tanh(step.c[j]);
  }
  return step;
}

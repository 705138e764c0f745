import { sigmoid, tanh } from './activations.js';

/** One layer-direction's parameters as the equations use them (PyTorch layout, gate blocks i, f, g, o). */
export interface CellWeights {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** W_i· [4H, I] */
  readonly weightIh: Float64Array;
  /** W_h· [4H, H] */
  readonly weightHh: Float64Array;
  /** b_i· + b_h· [4H], zeros for a model without bias */
  readonly bias: Float64Array;
}

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
  w: CellWeights,
  xs: ArrayLike<number>,
  xOffset: number,
  h: ArrayLike<number>,
  c: ArrayLike<number>,
): CellStep {
  const I = w.inputSize;
  const H = w.hiddenSize;
  // z = W_ih x + W_hh h + b: the four gate pre-activations stacked [z_i; z_f; z_g; z_o].
  const z = new Float64Array(4 * H);
  for (let row = 0; row < 4 * H; row++) {
    let sum = w.bias[row];
    for (let k = 0; k < I; k++) sum += w.weightIh[row * I + k] * xs[xOffset + k];
    for (let k = 0; k < H; k++) sum += w.weightHh[row * H + k] * h[k];
    z[row] = sum;
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

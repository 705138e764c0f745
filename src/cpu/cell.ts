import type { LayerWeights } from '../model/layer-weights.js';
import type { LstmActivations } from '../model/variants.js';
import { cellActivation } from './activations.js';

/** Everything one step computes for one sequence: the four gates and c, each [H]; h is [H] ([P] with projSize). */
export interface CellStep {
  readonly i: Float64Array;
  readonly f: Float64Array;
  readonly g: Float64Array;
  readonly o: Float64Array;
  readonly c: Float64Array;
  readonly h: Float64Array;
}

interface ActivationFunctions {
  readonly gate: (x: number) => number;
  readonly candidate: (x: number) => number;
  readonly cellOutput: (x: number) => number;
}

/** One set of functions per activations object (a model's config holds one), made on first use. */
const functionsOf = new WeakMap<LstmActivations, ActivationFunctions>();

function activationFunctions(activations: LstmActivations): ActivationFunctions {
  let functions = functionsOf.get(activations);
  if (!functions) {
    functions = {
      gate: cellActivation(activations.gate),
      candidate: cellActivation(activations.candidate),
      cellOutput: cellActivation(activations.cellOutput),
    };
    functionsOf.set(activations, functions);
  }
  return functions;
}

/**
 * One LSTM step for one sequence, in float64. PyTorch's LSTM with the defaults (σ, tanh, tanh):
 *
 *   i = σ(W_ii x + b_ii + W_hi h + b_hi)      f = σ(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)   o = σ(W_io x + b_io + W_ho h + b_ho)
 *   c' = f ⊙ c + i ⊙ g                        h' = o ⊙ tanh(c')
 *
 * and with the variants (src/model/variants.ts; ONNX's equations, f/g/h its three activations,
 * P its peepholes, clip its cell clip, and PyTorch's projection W_hr):
 *
 *   i = f(clip(z_i + P_i ⊙ c))     f = 1 − i with inputForget, else f(clip(z_f + P_f ⊙ c))
 *   g = g(clip(z_g))               c' = f ⊙ c + i ⊙ g
 *   o = f(clip(z_o + P_o ⊙ c'))    h' = W_hr (o ⊙ h(c')) with projSize, else o ⊙ h(c')
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
  const R = w.outputSize; // the width of h: H, or P with a projection
  // z = (W_ih x + b_ih) + (W_hh h + b_hh): the four gate pre-activations stacked [z_i; z_f; z_g; z_o].
  // Summed in PyTorch's order, products first and each bias after its product, so that products
  // which cancel exactly (W x = 6e38 − 6e38) leave the biases intact.
  const z = new Float64Array(4 * H);
  for (let row = 0; row < 4 * H; row++) {
    let inputPart = 0;
    for (let k = 0; k < I; k++) inputPart += w.weightIh[row * I + k] * xs[xOffset + k];
    let hiddenPart = 0;
    for (let k = 0; k < R; k++) hiddenPart += w.weightHh[row * R + k] * h[k];
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
    h: new Float64Array(R),
  };
  const act = activationFunctions(w.activations);
  const bound = w.cellClip;
  const clip = bound === null ? (v: number) => v : (v: number) => Math.min(Math.max(v, -bound), bound);
  const P = w.peephole; // blocks i, o, f
  // o ⊙ h(c') before the projection; with no projection it is h' itself.
  const m = w.weightHr ? new Float64Array(H) : step.h;
  for (let j = 0; j < H; j++) {
    step.i[j] = act.gate(clip(P ? z[j] + P[j] * c[j] : z[j]));
    step.f[j] = w.inputForget ? 1 - step.i[j] : act.gate(clip(P ? z[H + j] + P[2 * H + j] * c[j] : z[H + j]));
    step.g[j] = act.candidate(clip(z[2 * H + j]));
    step.c[j] = step.f[j] * c[j] + step.i[j] * step.g[j];
    step.o[j] = act.gate(clip(P ? z[3 * H + j] + P[H + j] * step.c[j] : z[3 * H + j]));
    m[j] = step.o[j] * act.cellOutput(step.c[j]);
  }
  if (w.weightHr) {
    for (let p = 0; p < R; p++) {
      let sum = 0;
      for (let j = 0; j < H; j++) sum += w.weightHr[p * H + j] * m[j];
      step.h[p] = sum;
    }
  }
  return step;
}

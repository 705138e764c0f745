import type { TraceEntry } from '../core/results.js';

/**
 * One step of backpropagation through the LSTM cell for one sequence, in float64, read beside
 * docs/training.md. The forward saved i, f, g, o and c at this step (`saved`, at `offset` in its
 * [T, B, H] arrays); c_prev is the state the step started from. Given δh (the gradient arriving at
 * h_t: from above plus from step t+1) and δc_next (the gradient carried back from step t+1's c):
 *
 *   δo = δh ⊙ tanh(c)
 *   δc = δh ⊙ o ⊙ (1 − tanh²(c)) + δc_next
 *   δi = δc ⊙ g     δg = δc ⊙ i     δf = δc ⊙ c_prev
 *   dz = [δi ⊙ i(1−i), δf ⊙ f(1−f), δg ⊙ (1−g²), δo ⊙ o(1−o)]     (4H: blocks i, f, g, o)
 *   δc_prev = δc ⊙ f
 *
 * Writes dz into `dz` and returns δc_prev; the caller does the products with W_ih and W_hh.
 */
export function cellStepBackward(
  saved: TraceEntry,
  offset: number,
  cPrev: ArrayLike<number>,
  cPrevOffset: number,
  dh: Float64Array,
  dcNext: Float64Array,
  dz: Float64Array,
): Float64Array {
  const H = dh.length;
  const dcPrev = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    const i = saved.i[offset + j];
    const f = saved.f[offset + j];
    const g = saved.g[offset + j];
    const o = saved.o[offset + j];
    const tanhC = Math.tanh(saved.c[offset + j]);
    const dOut = dh[j] * tanhC;
    const dc = dh[j] * o * (1 - tanhC * tanhC) + dcNext[j];
    dz[j] = dc * g * i * (1 - i);
    dz[H + j] = dc * cPrev[cPrevOffset + j] * f * (1 - f);
    dz[2 * H + j] = dc * i * (1 - g * g);
    dz[3 * H + j] = dOut * o * (1 - o);
    dcPrev[j] = dc * f;
  }
  return dcPrev;
}

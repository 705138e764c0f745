import { describe, expect, it } from 'vitest';
import { lossAndGradient } from '../../src/cpu/losses.js';
import { activate, activationBackward } from '../../src/cpu/dense.js';

// The folded losses at logits where the naive forms overflow or lose everything: hand-derived values.
// BCE-with-logits at z, y: max(z, 0) − z·y + log(1 + e^(−|z|)); cross-entropy: logsumexp(z) − z_c.

describe('losses at extreme logits', () => {
  it('binary cross-entropy stays finite and exact at |z| = 1000', () => {
    const z = Float64Array.of(1000, -1000, 1000, 0);
    const y = Float64Array.of(0, 1, 1, 0.5);
    const { value, gradient } = lossAndGradient('binary-cross-entropy', z, y, null, 4, 1);
    // 1000 (a confident wrong answer) + 1000 + 0 + log 2 − 0, over 4 elements.
    expect(value).toBeCloseTo((1000 + 1000 + 0 + Math.log(2)) / 4, 12);
    expect([...gradient]).toEqual([1 / 4, -1 / 4, 0, 0]);
  });
  it('cross-entropy stays finite at logits of 1e4 and leaves out rows that do not count', () => {
    const z = Float64Array.of(1e4, 0, -1e4, /* a row that does not count: */ NaN, NaN, NaN);
    const { value, gradient } = lossAndGradient('cross-entropy', z, Float64Array.of(1, 0), Uint8Array.of(1, 0), 2, 3);
    expect(value).toBe(1e4); // logsumexp = 1e4 exactly in float64, minus z_1 = 0
    expect([...gradient]).toEqual([1, -1, 0, 0, 0, 0]);
  });
  it('huber and mae take their PyTorch derivatives at the joins (clamp at |d| = 1, 0 at d = 0)', () => {
    const p = Float64Array.of(1, -1, 0, 3);
    const zeros = new Float64Array(4);
    expect([...lossAndGradient('huber', p, zeros, null, 4, 1).gradient]).toEqual([0.25, -0.25, 0, 0.25]);
    expect(lossAndGradient('huber', p, zeros, null, 4, 1).value).toBe((0.5 + 0.5 + 0 + 2.5) / 4);
    expect([...lossAndGradient('mae', p, zeros, null, 4, 1).gradient]).toEqual([0.25, -0.25, 0, 0.25]);
  });
});

describe('log_softmax at extreme logits (src/cpu/dense.ts)', () => {
  // log_softmax(z)_j = z_j − logsumexp(z); at z = (1000, 0, −1000), logsumexp = 1000 + log(1 + e^−1000 + e^−2000)
  // = 1000 in float64, so the row is (0, −1000, −2000) exactly; the naive log(exp(z) / Σ exp) is NaN there.
  it('stays finite and exact, and its backward is da − softmax(z)·Σ da', () => {
    const z = Float64Array.of(1000, 0, -1000, /* a second row, log 3 below each: */ 2, 2, 2);
    const a = activate('log_softmax', z, 2, 3);
    expect([...a.slice(0, 3)]).toEqual([0, -1000, -2000]);
    a.slice(3).forEach((v) => expect(v).toBeCloseTo(-Math.log(3), 15));
    // softmax(z) = (1, 0, 0) and (⅓, ⅓, ⅓); da sums to 6 and to 0.
    const dz = activationBackward('log_softmax', z, a, Float64Array.of(1, 2, 3, 1, -1, 0), 2, 3);
    expect([...dz.slice(0, 3)]).toEqual([1 - 6, 2, 3]);
    [1, -1, 0].forEach((v, j) => expect(dz[3 + j]).toBeCloseTo(v, 15));
  });
});

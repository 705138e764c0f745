import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceResult } from '../../src/api/runner.js';
import { inputFromJSON } from '../../src/formats/input-json.js';
import { modelFromJSON } from '../../src/formats/model-json.js';
import { LSTM } from '../../src/model/lstm.js';

// The CPU reference sums as PyTorch does: products first, biases after. With W_ih = 2 everywhere,
// W_hh = 0 and x_t = (a, −a) for a near 3e38, the products cancel exactly and only the biases
// are left; a sum that started from the bias would lose it. Expected values: torch.nn.LSTM in
// float64 (test/fixtures/make_cancellation.py).
const kDir = resolve(__dirname, '../fixtures/pytorch');
const caseJson = JSON.parse(readFileSync(resolve(kDir, 'cancellation.json'), 'utf8'));
const expected = JSON.parse(readFileSync(resolve(kDir, 'cancellation.expected.json'), 'utf8'));

describe('products that cancel exactly leave the biases intact, as in PyTorch', () => {
  const model = modelFromJSON(caseJson);
  const { x, options } = inputFromJSON(caseJson, model.config);
  const result = referenceResult(model, x, options);

  it.each([
    ['output', () => result.output, expected.output],
    ['h_n', () => result.hN, expected.h_n],
    ['c_n', () => result.cN, expected.c_n],
  ] as const)('%s matches float64 PyTorch', (_name, actual, torch) => {
    expect(actual().shape).toEqual(torch.shape);
    const data = Array.from(actual().data);
    data.forEach((v, k) => expect(Math.abs(v - torch.data[k]), `element ${k}: ${v} vs ${torch.data[k]}`).toBeLessThan(1e-15));
  });

  it('finds every value finite, where float32 PyTorch has NaN', () => {
    expect(result.stats.nonFiniteOutputs).toBe(0);
    expect(expected.float32_nan_count).toBeGreaterThan(0);
  });
});

describe('stats.nonFiniteOutputs: non-finite results from finite inputs are counted', () => {
  // I = 2, H = 2. Every row of W_ih is (1e300, −1e300), beyond float32 (so the model must opt in to
  // 'propagate'), and W_hh = 0. Sequence 0 has x_t = (1e10, 1e10): the products are +∞ and −∞ and
  // their sum is NaN in every gate, so all its T·H outputs and its H values of h_n and of c_n are
  // NaN: 3·2 + 2 + 2 = 10. Sequence 1 has x_t = (1, 1): 1e300 − 1e300 = 0, every value finite.
  const [T, B, I, H] = [3, 2, 2, 2];
  const weightIh = Float64Array.from({ length: 4 * H * I }, (_, k) => (k % 2 === 0 ? 1e300 : -1e300));
  const params = new Map([
    ['weight_ih_l0', { shape: [4 * H, I], data: weightIh }],
    ['weight_hh_l0', { shape: [4 * H, H], data: new Float64Array(4 * H * H) }],
    ['bias_ih_l0', { shape: [4 * H], data: new Float64Array(4 * H).fill(0.1) }],
    ['bias_hh_l0', { shape: [4 * H], data: new Float64Array(4 * H) }],
  ]);
  const model = new LSTM({ inputSize: I, hiddenSize: H }, params, { nonFinite: 'propagate' });
  const x = Float64Array.from({ length: T * B * I }, (_, k) => (Math.floor(k / I) % B === 0 ? 1e10 : 1));

  it('counts the NaN values of output, h_n and c_n of the overflowing sequence only', () => {
    const result = referenceResult(model, x, { steps: T, batch: B });
    expect(result.stats.nonFiniteOutputs).toBe(10);
    expect(Array.from(result.hN.data, Number.isNaN)).toEqual([true, true, false, false]);
  });

  it('is 0 when nothing overflows', () => {
    const result = referenceResult(model, new Float64Array(T * B * I).fill(1), { steps: T, batch: B });
    expect(result.stats.nonFiniteOutputs).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/api/backend.js';
import { LSTM } from '../../src/model/lstm.js';
import { SeededRandom } from '../../src/model/random.js';
import { backwardSplit, recurrenceSplit } from '../../src/wasm/plan/split.js';
import { scaledError } from '../support/training-fixtures.js';

// The threaded paths of BPTT on two threads: a call big enough that the backward recurrence shares
// its rows (B ≥ 8; the case takes B = 32, where the forward shares rows too) or each step's units
// (B = 1, H = 256), and the weight-gradient products shared
// too, against the float64 reference's gradients within the GPU's training bound (1e-4 ×
// max(1, max |g|), docs/training.md). The split each case takes is asserted first, so a change of
// thresholds cannot quietly leave a path untested. (The forward's splits: test/wasm/forward.test.ts.)

const kTolerance = 1e-4;

const kCases = [
  { name: 'rows', inputSize: 8, hiddenSize: 64, steps: 20, batch: 32 },
  { name: 'units', inputSize: 8, hiddenSize: 256, steps: 20, batch: 1 },
] as const;

describe('wasm training on 2 threads, each backward split', () => {
  let wasm: Backend;
  let cpu: Backend;
  beforeAll(async () => {
    wasm = await createBackend({ prefer: 'wasm', threads: 2 });
    cpu = await createBackend({ prefer: 'cpu' });
  });
  afterAll(() => {
    wasm?.dispose();
    cpu?.dispose();
  });

  it.each(kCases)('$name: gradients, dx, dh0 and dc0 agree with the float64 reference', async (c) => {
    const { inputSize: I, hiddenSize: H, steps: T, batch: B } = c;
    expect(backwardSplit(2, B, H, true, T)).toBe(c.name);
    expect(recurrenceSplit(2, B, H, H, false, true, T)).toBe(c.name);
    const model = LSTM.random({ inputSize: I, hiddenSize: H, head: { layers: [{ outFeatures: 2 }], over: 'last' }, seed: 11 });
    const rng = new SeededRandom(12);
    const x = Float64Array.from({ length: T * B * I }, () => rng.uniform(-1, 1));
    const y = Float64Array.from({ length: B * 2 }, () => rng.uniform(-1, 1));
    const h0 = Float64Array.from({ length: B * H }, () => rng.uniform(-0.5, 0.5));
    const c0 = Float64Array.from({ length: B * H }, () => rng.uniform(-0.5, 0.5));
    const options = { steps: T, batch: B, h0, c0 };
    const [onWasm, onCpu] = await Promise.all([wasm.train(model, { loss: 'mse' }), cpu.train(model, { loss: 'mse' })]);
    try {
      const [got, want] = await Promise.all([onWasm.gradients(x, y, options), onCpu.gradients(x, y, options)]);
      expect(scaledError([got.loss], [want.loss]), 'loss').toBeLessThan(kTolerance);
      for (const [param, grad] of want.grads) expect(scaledError(got.grads.get(param)!.data, grad.data), param).toBeLessThan(kTolerance);
      for (const key of ['dx', 'dh0', 'dc0'] as const) expect(scaledError(got[key].data, want[key].data), key).toBeLessThan(kTolerance);
    } finally {
      onWasm.dispose();
      onCpu.dispose();
    }
  });
});

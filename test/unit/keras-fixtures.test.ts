import { describe, expect, it } from 'vitest';
import { referenceGraph } from '../../src/api/graph.js';
import { kerasJSON as json, kKerasCases, maxAbs } from './graph-helpers.js';

/**
 * The Keras fixtures (test/fixtures/make_keras_fixtures.py: HDF5 and .keras laid out as Keras
 * writes them, made with h5py; expected outputs from its NumPy float64 reference) on the float64
 * CPU path. Weights are float32 and the reference reads those same values, so both sides are
 * float64 computations of the same numbers: they agree to 1e-9 (exp and tanh of JavaScript and
 * NumPy differ in the last bit, which BatchNormalization's 1/√(var + ε) magnifies: 3.5e-11 seen).
 */
describe('Keras fixtures on the CPU', () => {
  it.each(Object.keys(kKerasCases))('%s', async (name) => {
    const model = await kKerasCases[name]();
    const io = json(`${name}.io.json`);
    const result = await referenceGraph(model, io.input.data, { batch: io.input.shape[0], steps: io.input.shape[1] });
    expect(result.prediction.shape).toEqual(io.expected.shape);
    expect(maxAbs(result.prediction.data, io.expected.data)).toBeLessThan(1e-9);
  });

  it('reads hard_sigmoid as the file means it: slope 1/6 in a Keras 3 file, 0.2 in a Keras 2 one', async () => {
    const k3 = await kKerasCases.keras3_hard_sigmoid();
    const k2 = await kKerasCases.keras2_embedding();
    expect(k3.lstmLayers[0].lstm.config.activations?.gate).toEqual({ kind: 'hard_sigmoid', alpha: 1 / 6, beta: 0.5 });
    expect(k2.lstmLayers[0].lstm.config.activations?.gate).toEqual({ kind: 'hard_sigmoid', alpha: 0.2, beta: 0.5 });
  });
});

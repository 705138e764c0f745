import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referenceGraph } from '../../src/api/graph.js';
import { kTfjsDir, maxAbs, tfjsCase } from './graph-helpers.js';

/**
 * The TensorFlow.js fixtures (test/fixtures/make_tfjs_fixtures.mjs: files saved by tfjs 4.22 itself,
 * and the 2018 and Keras 3 vintages derived from them) on the float64 CPU path, against
 * model.predict's float32 outputs: 1e-5 absolute, a float32 implementation's agreement.
 */
describe('TensorFlow.js fixtures on the CPU', () => {
  it.each(readdirSync(kTfjsDir).sort())('%s', async (name) => {
    const c = tfjsCase(name);
    const [batch, steps] = c.input.shape;
    const result = await referenceGraph(c.model, c.input.data, { batch, steps });
    expect(result.prediction.shape).toEqual(c.expected.shape);
    expect(maxAbs(result.prediction.data, c.expected.data)).toBeLessThan(1e-5);
  });
});

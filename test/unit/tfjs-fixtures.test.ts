import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceGraph } from '../../src/api/graph.js';
import { tfjsModelFromJSON } from '../../src/formats/tfjs/read.js';

/**
 * The TensorFlow.js fixtures (test/fixtures/make_tfjs_fixtures.mjs: files saved by tfjs 4.22 itself,
 * and the 2018 and Keras 3 vintages derived from them) on the float64 CPU path, against
 * model.predict's float32 outputs: 1e-5 absolute, a float32 implementation's agreement.
 */
export const kTfjsDir = resolve(__dirname, '../fixtures/tfjs');

export function tfjsCase(name: string) {
  const dir = join(kTfjsDir, name);
  const io = JSON.parse(readFileSync(join(dir, 'io.json'), 'utf8'));
  const model = tfjsModelFromJSON(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), (path) => readFileSync(join(dir, path)));
  return { model, input: io.input as { shape: number[]; data: number[] }, expected: io.expected as { shape: number[]; data: number[] } };
}

export function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('TensorFlow.js fixtures on the CPU', () => {
  it.each(readdirSync(kTfjsDir).sort())('%s', async (name) => {
    const c = tfjsCase(name);
    const [batch, steps] = c.input.shape;
    const result = await referenceGraph(c.model, c.input.data, { batch, steps });
    expect(result.prediction.shape).toEqual(c.expected.shape);
    expect(maxAbs(result.prediction.data, c.expected.data)).toBeLessThan(1e-5);
  });
});

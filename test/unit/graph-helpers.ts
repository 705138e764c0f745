import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tfjsModelFromJSON } from '../../src/formats/tfjs/read.js';
import type { SequenceModel } from '../../src/model/graph/sequence-model.js';

/** The TensorFlow.js fixtures (test/fixtures/make_tfjs_fixtures.mjs) and helpers the tfjs and Keras tests share. */
export const kTfjsDir = resolve(__dirname, '../fixtures/tfjs');

export interface SavedTensor {
  readonly shape: number[];
  readonly data: number[];
}

export function tfjsCase(name: string): { model: SequenceModel; input: SavedTensor; expected: SavedTensor } {
  const dir = join(kTfjsDir, name);
  const io = JSON.parse(readFileSync(join(dir, 'io.json'), 'utf8'));
  const model = tfjsModelFromJSON(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), (path) => readFileSync(join(dir, path)));
  return { model, input: io.input, expected: io.expected };
}

export function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Every layer's kind, options and weights as plain data, to compare two models exactly. */
export function modelSnapshot(model: SequenceModel): { input: unknown; shapes: unknown; layers: unknown[] } {
  return {
    input: model.input,
    shapes: model.shapes,
    layers: model.layers.map((layer) => {
      if (layer.kind !== 'lstm') return JSON.parse(JSON.stringify(layer, (_, v) => (v instanceof Float64Array ? Array.from(v) : v)));
      const { lstm, ...rest } = layer;
      return { ...rest, config: lstm.config, params: [...lstm.tensors()].map(([name, t]) => [name, t.shape, Array.from(t.data)]) };
    }),
  };
}

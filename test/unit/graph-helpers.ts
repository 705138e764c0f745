import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { kerasModelFromH5 } from '../../src/formats/keras/read-h5.js';
import { kerasModelFromZip } from '../../src/formats/keras/read-zip.js';
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

/** The Keras fixtures (test/fixtures/make_keras_fixtures.py), each read as a user would. */
export const kKerasDir = resolve(__dirname, '../fixtures/keras');
const kerasFile = (name: string) => readFileSync(join(kKerasDir, name));
export const kerasJSON = (name: string) => JSON.parse(readFileSync(join(kKerasDir, name), 'utf8'));

export const kKerasCases: Record<string, () => Promise<SequenceModel>> = {
  keras2_stacked: () => kerasModelFromH5(kerasFile('keras2_stacked.h5')),
  keras2_embedding: () => kerasModelFromH5(kerasFile('keras2_embedding_weights.h5'), { modelConfig: kerasJSON('keras2_embedding.json') }),
  keras3_bilstm: () => kerasModelFromZip(kerasFile('keras3_bilstm.keras')),
  keras3_hard_sigmoid: () => kerasModelFromZip(kerasFile('keras3_hard_sigmoid.keras')),
  keras3_masking: () => kerasModelFromH5(kerasFile('keras3_masking.weights.h5'), { modelConfig: kerasJSON('keras3_masking.json') }),
};

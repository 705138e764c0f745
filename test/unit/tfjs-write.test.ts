import * as tf from '@tensorflow/tfjs';
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfjsModelFromJSON } from '../../src/formats/tfjs/read.js';
import { tfjsModelToArtifacts } from '../../src/formats/tfjs/write.js';
import { kTfjsDir, maxAbs, modelSnapshot, tfjsCase } from './graph-helpers.js';

/**
 * Writing TensorFlow.js files: what tfjsModelToArtifacts writes loads in TensorFlow.js 4.22 itself
 * (tf.loadLayersModel through tf.io.fromMemory, CPU backend) and predicts what the original file
 * predicted; and reading it back gives the same model, weight for weight (float32 values, exact).
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('TensorFlow.js files written', () => {
  it.each(readdirSync(kTfjsDir).sort())('%s: tf.loadLayersModel predicts the same, and reading it back gives the same model', async (name) => {
    const c = tfjsCase(name);
    const written = tfjsModelToArtifacts(c.model);
    const json = JSON.parse(JSON.stringify(written.modelJSON));
    const manifest = json.weightsManifest[0];
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: manifest.weights, weightData: written.weightData.slice().buffer }));
    const y = loaded.predict(tf.tensor(c.input.data, c.input.shape)) as tf.Tensor;
    expect(y.shape).toEqual(c.expected.shape);
    expect(maxAbs(y.dataSync(), c.expected.data)).toBeLessThan(1e-6);
    const again = tfjsModelFromJSON(json, (path) => (path === written.shardName ? written.weightData : new Uint8Array()));
    expect(modelSnapshot(again).layers).toEqual(modelSnapshot(c.model).layers);
  });
});

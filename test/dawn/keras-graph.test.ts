import './dawn-env.js';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGraph } from '../../src/api/graph.js';
import type { SequenceModel } from '../../src/model/graph/sequence-model.js';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { kerasJSON, kKerasCases, kTfjsDir, maxAbs, tfjsCase } from '../unit/graph-helpers.js';
import { openDawn } from './dawn-env.js';

/**
 * Keras and TensorFlow.js models on WebGPU through Dawn: every LSTM layer runs on the GPU
 * (float32), its variants too (hard_sigmoid, go_backwards, ...; only a projection, which Keras
 * has not, would run on the CPU and say so in `placement`); the layers between run on the host. Against the files' own expected
 * outputs (tfjs's float32 predict, or the NumPy float64 reference): 1e-5 absolute.
 */
let backend: NodeBackend;
beforeAll(async () => {
  backend = await openDawn();
});
afterAll(async () => {
  await backend?.close();
});

async function check(model: SequenceModel, input: { shape: number[]; data: number[] }, expected: { shape: number[]; data: number[] }) {
  const runner = await loadGraph(backend, model);
  try {
    const result = await runner.forward(input.data, { batch: input.shape[0], steps: input.shape[1] });
    expect(result.prediction.shape).toEqual(expected.shape);
    expect(maxAbs(result.prediction.data, expected.data)).toBeLessThan(1e-5);
    for (const [k, layer] of model.lstmLayers.entries()) {
      expect(runner.placement[k].backend, `${layer.name}: ${runner.placement[k].reason}`).toBe('webgpu');
    }
    expect(result.stats.backend).toBe('webgpu');
  } finally {
    runner.dispose();
  }
}

describe('Keras and TensorFlow.js models on Dawn', () => {
  it.each(readdirSync(kTfjsDir).sort())('tfjs %s', async (name) => {
    const c = tfjsCase(name);
    await check(c.model, c.input, c.expected);
  });

  it.each(Object.keys(kKerasCases))('keras %s', async (name) => {
    const io = kerasJSON(`${name}.io.json`);
    await check(await kKerasCases[name](), io.input, io.expected);
  });
});

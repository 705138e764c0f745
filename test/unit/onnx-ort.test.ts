import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { modelFromOnnx } from '../../src/api/onnx-graph/reduce.js';
import { modelToOnnx } from '../../src/formats/onnx/write.js';
import { decodeModel } from '../../src/formats/onnx/proto.js';
import { directionCount } from '../../src/model/config.js';
import type { Tensor } from '../../src/core/tensor.js';
import { kOnnxCases, loadCase, maxDifference, runSession } from '../support/onnx-cases.js';

// onnxruntime-web 1.30 (its wasm backend, in Node) runs the fixture files themselves (an independent
// check of the NumPy expectations) and the files this library writes from them, which must give
// what this library's CPU reference gives. onnxruntime's CPU LSTM refuses layout 1.

ort.env.wasm.numThreads = 1;

async function runOrt(bytes: Uint8Array, feeds: Record<string, Tensor<ArrayLike<number>>>): Promise<Map<string, Tensor<Float32Array>>> {
  const session = await ort.InferenceSession.create(bytes);
  const inputs: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) {
    const integer = name === 'lengths' || name === 'sequence_lens';
    inputs[name] = new ort.Tensor(integer ? 'int32' : 'float32', integer ? Int32Array.from(t.data) : Float32Array.from(t.data), [...t.shape]);
  }
  const out = await session.run(inputs);
  await session.release();
  return new Map(Object.entries(out).map(([name, t]) => [name, { shape: [...t.dims], data: t.data as Float32Array }]));
}

const layout0 = kOnnxCases.filter((name) => !name.includes('layout1') && name !== 'node_everything');

describe('onnxruntime-web runs the fixture files to their expected outputs', () => {
  for (const name of layout0) {
    it(name, async () => {
      const { bytes, expected } = loadCase(name);
      const outputs = await runOrt(bytes, expected.inputs);
      for (const [output, tensor] of outputs) expect(maxDifference(tensor, expected.outputs[output]), output).toBeLessThan(2e-5);
    });
  }
});

/** Inputs for a file this library wrote: x, h0, c0 in the model's layout, lengths in [0, T] with one 0. */
function ourFeeds(config: ReturnType<typeof modelFromOnnx>['model']['config'], T: number, B: number) {
  const D = directionCount(config);
  const wave = (n: number, phase: number) => Array.from({ length: n }, (_, k) => Math.sin(0.7 * k + phase));
  const state = [config.numLayers * D, B, config.hiddenSize];
  return {
    x: { shape: config.batchFirst ? [B, T, config.inputSize] : [T, B, config.inputSize], data: wave(T * B * config.inputSize, 0) },
    h0: { shape: state, data: wave(state[0] * B * state[2], 1) },
    c0: { shape: state, data: wave(state[0] * B * state[2], 2) },
    lengths: { shape: [B], data: Array.from({ length: B }, (_, b) => (b === 1 ? 0 : T - (b % T))) },
  };
}

describe('files this library writes run in onnxruntime-web to the CPU reference’s outputs', () => {
  for (const name of kOnnxCases) {
    it(name, async () => {
      const model = modelFromOnnx(loadCase(name).bytes).model;
      const written = modelToOnnx(model, { states: true, lengths: true });
      const feeds = ourFeeds(model.config, 5, 3);
      const ours = await runSession(written, feeds);
      const theirs = await runOrt(written, feeds);
      expect([...theirs.keys()].sort()).toEqual([...ours.keys()].sort());
      for (const [output, tensor] of theirs) expect(maxDifference(tensor, ours.get(output)!), output).toBeLessThan(2e-5);
      // No dead weight in the file: every initializer is read by some node.
      const { graph } = decodeModel(written);
      const read = new Set(graph!.node!.flatMap((n) => n.input ?? []));
      expect(graph!.initializer!.map((t) => t.name).filter((n) => !read.has(n!))).toEqual([]);
    });
  }
});

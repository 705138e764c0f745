import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { modelFromOnnx } from '../../src/api/onnx-graph/reduce.js';
import { referenceResult } from '../../src/api/runner.js';
import { decodeModel } from '../../src/formats/onnx/proto.js';
import { modelToOnnx } from '../../src/formats/onnx/write.js';
import { LSTM } from '../../src/model/lstm.js';
import type { HeadConfigInput } from '../../src/model/head.js';

// A model whose head ends in log_softmax, written to ONNX: the file holds a LogSoftmax node over the
// last axis, onnxruntime-web 1.30 (wasm backend, in Node) runs it to our CPU reference's prediction
// (float32 against float64: within 2e-5), and reading the file back gives the same model (config
// and every parameter), so convert → train → export keeps the head.

ort.env.wasm.numThreads = 1;

const [T, B] = [5, 3];
const wave = (n: number, phase: number) => Array.from({ length: n }, (_, k) => Math.sin(0.7 * k + phase));

const kHeads: [string, HeadConfigInput, boolean][] = [
  ["'last', Linear → ReLU → Linear → LogSoftmax, bidirectional", { over: 'last', layers: [{ outFeatures: 6, activation: 'relu' }, { outFeatures: 4, activation: 'log_softmax' }] }, true],
  ["'sequence', Linear → LogSoftmax, batch_first", { over: 'sequence', layers: [{ outFeatures: 3, activation: 'log_softmax' }] }, false],
];

describe('a log_softmax head written to ONNX', () => {
  it.each(kHeads)('%s', async (_, head, bidirectional) => {
    const batchFirst = head.over === 'sequence';
    // std 2 makes logits of a few units, so log_softmax is far from its input.
    const model = LSTM.random({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional, batchFirst, head, seed: 19, distribution: 'normal', std: 2 });
    const bytes = modelToOnnx(model, { lengths: true });
    const nodes = decodeModel(bytes).graph!.node!;
    const logSoftmax = nodes.filter((n) => n.opType === 'LogSoftmax');
    expect(logSoftmax.length).toBe(1);
    expect(Number(logSoftmax[0].attribute?.find((a) => a.name === 'axis')?.i)).toBe(-1);

    const x = wave(T * B * 3, 0);
    const lengths = [5, 2, 4];
    const ours = referenceResult(model, x, { steps: T, batch: B, lengths }).prediction!;
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({
      x: new ort.Tensor('float32', Float32Array.from(x), batchFirst ? [B, T, 3] : [T, B, 3]),
      lengths: new ort.Tensor('int32', Int32Array.from(lengths), [B]),
    });
    await session.release();
    const theirs = out.prediction;
    expect([...theirs.dims]).toEqual(ours.shape);
    const data = theirs.data as Float32Array;
    let worst = 0;
    for (let k = 0; k < data.length; k++) worst = Math.max(worst, Math.abs(data[k] - ours.data[k]));
    expect(worst).toBeLessThan(2e-5);
    // Rows that count are log-probabilities: Σ exp = 1 (ONNX Runtime's, independent of ours).
    const O = ours.shape[ours.shape.length - 1];
    const row = Array.from(data.slice(0, O));
    expect(Math.abs(row.reduce((s, v) => s + Math.exp(v), 0) - 1)).toBeLessThan(1e-5);
    expect(Math.max(...ours.data.map(Math.abs))).toBeGreaterThan(0.5);

    const back = modelFromOnnx(bytes).model;
    expect(back.config.head).toEqual(model.config.head);
    for (const name of model.tensors().keys()) {
      const [a, b] = [model.param(name), back.param(name)];
      expect(b.length, name).toBe(a.length);
      for (let k = 0; k < a.length; k++) expect(Math.abs(b[k] - a[k]), name).toBeLessThan(1e-6 * Math.max(1, Math.abs(a[k])));
    }
  });
});

import './dawn-env.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { modelToJSON } from '../../src/formats/model-json.js';
import type { Activation, HeadConfigInput } from '../../src/model/head.js';
import { LSTM } from '../../src/model/lstm.js';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { dawnEnv, kRepoRoot, openDawn } from './dawn-env.js';

// The dense head in a plain forward call on WebGPU (gather_last and dense_forward after the LSTM,
// in the same submit): its prediction against the float64 CPU backend's (src/cpu/head.ts, which
// matches PyTorch's nn.Linear stacks to 1e-9 in test/unit), within 1e-5 of the largest magnitude.

let gpu: NodeBackend;
beforeAll(async () => {
  gpu = await openDawn();
});
afterAll(async () => {
  await gpu?.close();
});

interface HeadCase {
  readonly name: string;
  readonly config: { inputSize: number; hiddenSize: number; numLayers?: number; bidirectional?: boolean; batchFirst?: boolean };
  readonly head: HeadConfigInput;
  readonly steps: number;
  readonly batch: number;
  readonly lengths?: number[];
}

const stack = (over: 'last' | 'sequence', activations: Activation[]): HeadConfigInput => ({
  over,
  layers: activations.map((activation, k) => ({ outFeatures: k === activations.length - 1 ? 3 : 7 - k, activation })),
});

const kCases: HeadCase[] = [
  { name: "seed 003's LSTM(50) + Dense(1) over 'last'", config: { inputSize: 1, hiddenSize: 50 }, head: { layers: [{ outFeatures: 1 }] }, steps: 12, batch: 5 },
  { name: "'sequence', two layers", config: { inputSize: 3, hiddenSize: 8, numLayers: 2 }, head: { over: 'sequence', layers: [{ outFeatures: 2 }] }, steps: 6, batch: 3 },
  { name: "'last' with lengths, bidirectional", config: { inputSize: 3, hiddenSize: 6, bidirectional: true }, head: { layers: [{ outFeatures: 4, activation: 'tanh' }] }, steps: 7, batch: 4, lengths: [7, 3, 1, 5] },
  { name: "'sequence' with lengths, bidirectional, batch_first", config: { inputSize: 2, hiddenSize: 5, bidirectional: true, batchFirst: true }, head: { over: 'sequence', layers: [{ outFeatures: 3, activation: 'sigmoid' }] }, steps: 5, batch: 3, lengths: [2, 5, 4] },
  { name: 'a dense stack: linear, relu, sigmoid, tanh, softmax', config: { inputSize: 4, hiddenSize: 9 }, head: stack('last', ['linear', 'relu', 'sigmoid', 'tanh', 'softmax']), steps: 4, batch: 6 },
  { name: "a dense stack over 'sequence': relu then softmax", config: { inputSize: 4, hiddenSize: 9, numLayers: 2, bidirectional: true }, head: stack('sequence', ['relu', 'softmax']), steps: 5, batch: 2, lengths: [5, 3] },
  { name: "a dense stack over 'sequence': tanh then log_softmax", config: { inputSize: 3, hiddenSize: 6 }, head: stack('sequence', ['tanh', 'log_softmax']), steps: 4, batch: 3, lengths: [4, 1, 3] },
  { name: 'a head without dense layers (the features themselves)', config: { inputSize: 2, hiddenSize: 4, bidirectional: true }, head: { layers: [] }, steps: 3, batch: 2, lengths: [1, 3] },
];

function inputs(c: HeadCase): { x: Float64Array; options: { steps: number; batch: number; lengths?: number[] } } {
  const x = Float64Array.from({ length: c.steps * c.batch * c.config.inputSize }, (_, i) => Math.sin(0.61 * i + 0.2) * 1.5);
  return { x, options: { steps: c.steps, batch: c.batch, ...(c.lengths ? { lengths: c.lengths } : {}) } };
}

function worstScaled(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst / scale;
}

describe('the dense head in a WebGPU forward call matches the CPU', () => {
  it.each(kCases)('$name', async (c) => {
    const model = LSTM.random({ ...c.config, head: c.head, seed: 11 });
    const { x, options } = inputs(c);
    const expected = await (await (await createBackend({ prefer: 'cpu' })).load(model)).forward(x, options);
    const runner = await gpu.load(model);
    const result = await runner.forward(x, options);
    runner.dispose();
    expect(result.prediction, 'prediction').toBeDefined();
    expect(result.prediction!.shape).toEqual(expected.prediction!.shape);
    expect(worstScaled(result.prediction!.data, expected.prediction!.data)).toBeLessThan(1e-5);
    expect(worstScaled(result.output.data, expected.output.data), 'output').toBeLessThan(1e-5);
    expect(result.stats.submits).toBe(1);
  });

  it('a call split over the batch for the device limits still gives the whole prediction', async () => {
    const small = await openDawn({ limits: { maxBufferSize: 4096 } });
    try {
      const c: HeadCase = { name: 'split', config: { inputSize: 3, hiddenSize: 8 }, head: { over: 'sequence', layers: [{ outFeatures: 2 }] }, steps: 6, batch: 40, lengths: Array.from({ length: 40 }, (_, b) => 1 + (b % 6)) };
      const model = LSTM.random({ ...c.config, head: c.head, seed: 5 });
      const { x, options } = inputs(c);
      const expected = await (await (await createBackend({ prefer: 'cpu' })).load(model)).forward(x, options);
      const runner = await small.load(model);
      const result = await runner.forward(x, options);
      runner.dispose();
      expect(result.stats.submits).toBeGreaterThan(1);
      expect(worstScaled(result.prediction!.data, expected.prediction!.data)).toBeLessThan(1e-5);
    } finally {
      await small.close();
    }
  });
});

describe('the CLI', () => {
  it("run of a model with a head on webgpu writes \"prediction\", as the CPU's", async () => {
    const work = mkdtempSync(join(tmpdir(), 'webgpu-lstm-head-'));
    const model = LSTM.random({ inputSize: 2, hiddenSize: 6, head: { layers: [{ outFeatures: 3, activation: 'relu' }, { outFeatures: 1 }] }, seed: 4 });
    const x = Array.from({ length: 5 * 2 * 2 }, (_, i) => Math.cos(0.3 * i));
    writeFileSync(join(work, 'model.json'), JSON.stringify(modelToJSON(model)));
    writeFileSync(join(work, 'input.json'), JSON.stringify({ x: { shape: [5, 2, 2], data: x } }));
    const run = async (backend: string) => {
      const out = join(work, `${backend}.json`);
      const args = ['run', '--model', join(work, 'model.json'), '--input', join(work, 'input.json'), '--backend', backend, '--runtime', 'dawn', '--out', out];
      await promisify(execFile)(process.execPath, [join(kRepoRoot, 'dist/cli.js'), ...args], { env: dawnEnv() });
      return JSON.parse(readFileSync(out, 'utf8'));
    };
    const [webgpu, cpu] = [await run('webgpu'), await run('cpu')];
    expect(webgpu.prediction.shape).toEqual([2, 1]);
    expect(worstScaled(webgpu.prediction.data, cpu.prediction.data)).toBeLessThan(1e-5);
  });
});

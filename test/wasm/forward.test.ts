import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/api/backend.js';
import { compareResults, kDefaultTolerance } from '../../src/api/compare.js';
import { referenceResult } from '../../src/api/runner.js';
import { LSTM } from '../../src/model/lstm.js';
import { describeForwardContract } from '../support/forward-contract.js';
import { loadTorchCase, maxAbsDiff, torchCaseNames } from '../support/fixtures.js';
import { randomCase } from '../support/random-case.js';

// The wasm engine (float32) in Node, on one thread and on two: the shared forward-result contract,
// the float64 torch.nn.LSTM fixtures with the GPU's bounds (1e-5 max abs error; `extreme`, with
// weights and inputs of magnitude 100, 2e-3), and seeded cases of every variant, with lengths,
// states and stacks, against the float64 reference within the documented tolerance.

const kTolerance: Record<string, number> = { extreme: 2e-3 };

for (const threads of [1, 2]) {
  const label = `${threads} thread${threads > 1 ? 's' : ''}`;
  describeForwardContract(`wasm backend, ${label}`, async () => {
    const backend = await createBackend({ prefer: 'wasm', threads });
    return { forward: async ({ model, x, options }) => (await backend.load(model)).forward(x, options), close: async () => backend.dispose() };
  });

  describe(`wasm backend, ${label}`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await createBackend({ prefer: 'wasm', threads });
    });
    afterAll(() => backend?.dispose());

    it('is the wasm engine, and says so', () => {
      expect(backend.kind).toBe('wasm');
      expect(backend.reason).toMatch(new RegExp(`^the wasm backend was requested; ${threads === 1 ? '1 thread' : '2 threads'} \\(${threads} requested\\), \\w+ build$`));
    });

    it('takes relaxedSimd: false (the plain build) and refuses a relaxedSimd that is not a boolean', async () => {
      const plain = await createBackend({ prefer: 'wasm', threads, relaxedSimd: false });
      expect(plain.reason).toMatch(threads === 1 ? /, simd build$/ : /, simdShared build$/);
      plain.dispose();
      await expect(createBackend({ prefer: 'wasm', threads, relaxedSimd: 'yes' as unknown as boolean })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'relaxedSimd: expected true or false, got "yes"' });
    });

    it('takes a Float32Array x without a copy, read before the caller can change it', async () => {
      const { model, x, options } = randomCase({ inputSize: 16, hiddenSize: 32, steps: 12, batch: 9, seed: 11 });
      const expected = referenceResult(model, x, options);
      const runner = await backend.load(model);
      const given = Float32Array.from(x);
      const pending = runner.forward(given, options);
      given.fill(Number.NaN); // after forward() returned its promise, before it settles
      const report = compareResults(model.config, expected, await pending, kDefaultTolerance);
      expect(report.passed, `max |wasm − cpu| = ${report.maxAbs}`).toBe(true);
    });

    it.each(torchCaseNames())('torch.nn.LSTM fixture %s', async (name) => {
      const c = loadTorchCase(name);
      const result = await (await backend.load(c.model)).forward(c.input.x, c.input.options);
      const tolerance = kTolerance[name] ?? 1e-5;
      expect(maxAbsDiff(result.output.data, c.expected.output.data), 'output').toBeLessThanOrEqual(tolerance);
      expect(maxAbsDiff(result.hN.data, c.expected.hN.data), 'h_n').toBeLessThanOrEqual(tolerance);
      expect(maxAbsDiff(result.cN.data, c.expected.cN.data), 'c_n').toBeLessThanOrEqual(tolerance);
    });

    const kVariants = [
      { name: 'plain, two bidirectional layers, lengths and states', spec: { inputSize: 7, hiddenSize: 33, numLayers: 2, bidirectional: true, steps: 9, batch: 5, lengths: [9, 3, 1, 7, 9], withState: true } },
      { name: 'batch large enough for rows per thread', split: 'rows', spec: { inputSize: 16, hiddenSize: 64, steps: 16, batch: 35 } },
      // Rows go out in blocks of 4 (the last one short) and each block runs to its own longest sequence; the input product (12 M multiply-adds) is shared too.
      { name: 'rows per thread with lengths, a shared input product', split: 'rows', spec: { inputSize: 32, hiddenSize: 64, steps: 40, batch: 37, lengths: [40, 3, 17, 40, 1, 1, 1, 1, 25, 40, 2, 39, 40, 40, 40, 7, 8, 40, 13, 1, 2, 3, 4, 40, 40, 40, 40, 9, 9, 9, 9, 40, 1, 40, 1, 40, 5] } },
      { name: 'B = 16 (units shared per step below 16 rows a thread)', split: 'units', spec: { inputSize: 16, hiddenSize: 64, steps: 40, batch: 16, lengths: [40, 3, 17, 40, 1, 1, 1, 1, 25, 40, 2, 39, 40, 40, 40, 7] } },
      { name: 'B = 1 over many units (units shared per step)', split: 'units', spec: { inputSize: 8, hiddenSize: 256, steps: 20, batch: 1 } },
      { name: 'proj_size', spec: { inputSize: 5, hiddenSize: 12, projSize: 5, numLayers: 2, steps: 7, batch: 3, lengths: [7, 4, 2] } },
      { name: 'peepholes, clip, input_forget', spec: { inputSize: 4, hiddenSize: 9, peepholes: true, cellClip: 0.7, inputForget: true, steps: 6, batch: 3, lengths: [6, 2, 4] } },
      { name: 'ONNX activations with alpha and beta', spec: { inputSize: 3, hiddenSize: 6, activations: { gate: { kind: 'hard_sigmoid', alpha: 0.3, beta: 0.4 }, candidate: { kind: 'affine', alpha: 0.7, beta: -0.2 }, cellOutput: { kind: 'relu' } }, steps: 5, batch: 2 } },
      { name: 'go_backwards with a trace', spec: { inputSize: 3, hiddenSize: 6, goBackwards: true, steps: 5, batch: 2, trace: true } },
      { name: "a dense head over 'sequence', batch_first", spec: { inputSize: 3, hiddenSize: 8, batchFirst: true, head: { over: 'sequence' as const, layers: [{ outFeatures: 4, activation: 'relu' as const }, { outFeatures: 2 }] }, steps: 4, batch: 3 } },
    ];
    it.each(kVariants)('$name agrees with the float64 reference', async ({ spec, split }) => {
      const { model, x, options } = randomCase({ ...spec, seed: 7 } as Parameters<typeof randomCase>[0]);
      const runner = await backend.load(model);
      // The split named is the one taken, so a change of thresholds cannot leave a path untested.
      if (split) expect(runner.plan({ batch: options.batch, steps: options.steps }).kind).toBe(threads === 1 ? 'solo' : split);
      const result = await runner.forward(x, options);
      const report = compareResults(model.config, referenceResult(model, x, options), result, kDefaultTolerance);
      expect(report.missing).toEqual([]);
      expect(report.passed, `max |wasm − cpu| = ${report.maxAbs}`).toBe(true);
    });

    it('plan() says how a call is shared, and names a bad steps', async () => {
      const runner = await backend.load(LSTM.random({ inputSize: 4, hiddenSize: 64, seed: 2 }));
      expect(runner.plan({ batch: 16, steps: 2 })).toMatchObject({ kind: 'solo', reason: threads === 1 ? 'the engine has one thread' : expect.stringMatching(/too small to share/) });
      expect(() => runner.plan({ batch: 16, steps: 0 })).toThrow(/options\.steps/);
    });

    it('a stream agrees with the reference step by step', async () => {
      const model = LSTM.random({ inputSize: 3, hiddenSize: 10, seed: 3 });
      const runner = await backend.load(model);
      const stream = runner.stream({ batch: 2 });
      const x = Float64Array.from({ length: 4 * 2 * 3 }, (_, i) => Math.sin(i));
      const outputs: number[] = [];
      for (let t = 0; t < 4; t++) outputs.push(...(await stream.step(x.subarray(t * 6, t * 6 + 6))).output.data);
      const reference = referenceResult(model, x, { steps: 4, batch: 2 });
      expect(maxAbsDiff(outputs, reference.output.data)).toBeLessThan(1e-5);
      stream.dispose();
    });

    it('a runner on a disposed backend says DISPOSED', async () => {
      const own = await createBackend({ prefer: 'wasm', threads });
      const runner = await own.load(LSTM.random({ inputSize: 2, hiddenSize: 4, seed: 1 }));
      own.dispose();
      await expect(runner.forward(new Float64Array(2 * 2), { steps: 1, batch: 2 })).rejects.toMatchObject({ code: 'DISPOSED' });
    });
  });
}

import './dawn-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceResult } from '../../src/api/runner.js';
import { LSTM } from '../../src/model/lstm.js';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { loadTorchCase, maxAbsDiff } from '../support/fixtures.js';
import { kStreamableCases, streamInChunks, stepsOf } from '../support/stream-case.js';
import { openDawn } from './dawn-env.js';

// Streaming on WebGPU through Dawn: (h, c) stay on the GPU between pushes. Expected values: the
// float64 torch.nn.LSTM fixtures (one call over the whole sequence), within the same 1e-5 as the
// forward tests; resets against the float64 reference from the same state.

let backend: NodeBackend;
beforeAll(async () => {
  backend = await openDawn();
});
afterAll(async () => {
  await backend?.close();
});

const wave = (n: number, phase = 0) => Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + phase));

describe('a stream on Dawn equals one forward call over the concatenated steps', () => {
  for (const recurrence of ['sequence', 'steps'] as const) {
    it.each(kStreamableCases)(`${recurrence}: %s, every step and h_n, c_n (torch fixture)`, async (name) => {
      const c = loadTorchCase(name);
      const { steps: T, batch: B } = c.input.options;
      const runner = await backend.load(c.model, { recurrence });
      try {
        const streamed = await streamInChunks(runner, c.input.x, T, B, 'all');
        expect(maxAbsDiff(streamed.output, c.expected.output.data)).toBeLessThanOrEqual(1e-5);
        expect(maxAbsDiff(streamed.hN, c.expected.hN.data)).toBeLessThanOrEqual(1e-5);
        expect(maxAbsDiff(streamed.cN, c.expected.cN.data)).toBeLessThanOrEqual(1e-5);
        // One submit and one readback a push, whatever k: the state never leaves the GPU.
        for (const stats of streamed.stats) expect(stats).toMatchObject({ backend: 'webgpu', submits: 1, readbacks: 1 });
      } finally {
        runner.dispose();
      }
    });
  }

  it("two_layer: outputs 'last' reads back only each push's last step", async () => {
    const c = loadTorchCase('two_layer');
    const { steps: T, batch: B } = c.input.options;
    const runner = await backend.load(c.model);
    const streamed = await streamInChunks(runner, c.input.x, T, B, 'last');
    expect(maxAbsDiff(streamed.output, stepsOf(c.expected.output.data, streamed.lastSteps, B, 24))).toBeLessThanOrEqual(1e-5);
    runner.dispose();
  });

  it('reset(slot, h0, c0) restarts one slot; 64 slots after 1 (another batch tile) agree too', async () => {
    const [I, H, L, B] = [3, 20, 2, 64];
    const model = LSTM.random({ inputSize: I, hiddenSize: H, numLayers: L, seed: 11 });
    const runner = await backend.load(model);
    const small = runner.stream({ batch: 1 });
    await small.push(wave(3 * I), 3);
    small.dispose();
    const stream = runner.stream({ batch: B });
    const [x1, x2] = [wave(4 * B * I), wave(3 * B * I, 1)];
    await stream.push(x1, 4);
    const [h0, c0] = [wave(L * H, 2).map((v) => 0.5 * v), wave(L * H, 3)];
    await stream.reset(5, h0, c0);
    const after = await stream.push(x2, 3);
    const whole = referenceResult(model, [...x1, ...x2], { steps: 7, batch: B });
    const slotState = (rows: number[]) => Array.from({ length: L * B * H }, (_, i) => (Math.floor(i / H) % B === 5 ? rows[Math.floor(i / (B * H)) * H + (i % H)] : 0));
    const restarted = referenceResult(model, x2, { steps: 3, batch: B, h0: slotState(h0), c0: slotState(c0) });
    const expected = Array.from({ length: 3 * B * H }, (_, i) => (Math.floor(i / H) % B === 5 ? restarted.output.data[i] : whole.output.data[4 * B * H + i]));
    expect(maxAbsDiff(after.output.data, expected)).toBeLessThanOrEqual(1e-5);
    runner.dispose();
  });

  it('disposing the runner disposes its streams and frees their memory', async () => {
    const runner = await backend.load(LSTM.random({ inputSize: 2, hiddenSize: 8, seed: 2 }));
    const before = runner.gpuBytes;
    const stream = runner.stream({ batch: 4, outputs: 'last' });
    await stream.push(wave(5 * 4 * 2), 5);
    expect(runner.gpuBytes).toBeGreaterThan(before);
    stream.dispose();
    expect(runner.gpuBytes).toBe(before);
    const second = runner.stream({ batch: 2 });
    runner.dispose();
    await expect(second.step(wave(4))).rejects.toMatchObject({ code: 'DISPOSED' });
    expect(() => runner.stream({ batch: 1 })).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
  });
});

import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { referenceResult } from '../../src/api/runner.js';
import { LSTM } from '../../src/model/lstm.js';
import { loadTorchCase, maxAbsDiff } from '../support/fixtures.js';
import { chunkSizes, kStreamableCases, streamInChunks, stepsOf } from '../support/stream-case.js';

// Streaming on the float64 CPU reference. Expected values: the torch.nn.LSTM fixtures (one call
// over the whole sequence, computed outside this library), and for resets and batchFirst the
// reference's own forward call over the same steps from the same state.


const cpu = await createBackend({ prefer: 'cpu' });
const wave = (n: number, phase = 0) => Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + phase));

describe('a stream on the CPU equals one forward call over the concatenated steps', () => {
  it('chunks 1, 2, 3, 5, … cover T', () => {
    expect(chunkSizes(12)).toEqual([1, 2, 3, 5, 1]);
    expect(chunkSizes(1)).toEqual([1]);
  });

  it.each(kStreamableCases)('%s: every step (torch fixture), and h_n, c_n from state()', async (name) => {
    const c = loadTorchCase(name);
    const { steps: T, batch: B } = c.input.options;
    const runner = await cpu.load(c.model);
    const streamed = await streamInChunks(runner, c.input.x, T, B, 'all');
    expect(maxAbsDiff(streamed.output, c.expected.output.data)).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(streamed.hN, c.expected.hN.data)).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(streamed.cN, c.expected.cN.data)).toBeLessThanOrEqual(1e-12);
    expect(streamed.stats[0]).toMatchObject({ backend: 'cpu', dispatches: 0, submits: 0, readbacks: 0 });
  });

  it.each(['two_layer', 'odd_sizes'])("%s: outputs 'last' gives each push's last step", async (name) => {
    const c = loadTorchCase(name);
    const { steps: T, batch: B } = c.input.options;
    const runner = await cpu.load(c.model);
    const streamed = await streamInChunks(runner, c.input.x, T, B, 'last');
    const W = c.model.config.hiddenSize;
    expect(maxAbsDiff(streamed.output, stepsOf(c.expected.output.data, streamed.lastSteps, B, W))).toBeLessThanOrEqual(1e-12);
  });

  it('reset(slot, h0, c0) restarts that slot alone, as a forward call from (h0, c0) does', async () => {
    const [I, H, L, B] = [3, 5, 2, 3];
    const model = LSTM.random({ inputSize: I, hiddenSize: H, numLayers: L, seed: 11 });
    const runner = await cpu.load(model);
    const stream = runner.stream({ batch: B });
    const [x1, x2] = [wave(4 * B * I), wave(3 * B * I, 1)];
    await stream.push(x1, 4);
    const [h0, c0] = [wave(L * H, 2).map((v) => 0.5 * v), wave(L * H, 3)];
    await stream.reset(1, h0, c0);
    const after = await stream.push(x2, 3);
    const state = await stream.state();
    // Slots 0 and 2 carry on from x1: one call over x1 then x2.
    const whole = referenceResult(model, [...x1, ...x2], { steps: 7, batch: B });
    // Slot 1 starts again from (h0, c0): one call over x2 with that slot's initial state.
    const slotState = (rows: number[]) => Array.from({ length: L * B * H }, (_, i) => (Math.floor(i / H) % B === 1 ? rows[Math.floor(i / (B * H)) * H + (i % H)] : 0));
    const restarted = referenceResult(model, x2, { steps: 3, batch: B, h0: slotState(h0), c0: slotState(c0) });
    for (let t = 0; t < 3; t++) {
      for (let b = 0; b < B; b++) {
        const row = (data: ArrayLike<number>, tt: number) => Array.from({ length: H }, (_, u) => data[(tt * B + b) * H + u]);
        const expected = b === 1 ? row(restarted.output.data, t) : row(whole.output.data, t + 4);
        expect(maxAbsDiff(row(after.output.data, t), expected), `t=${t} b=${b}`).toBeLessThanOrEqual(1e-12);
      }
    }
    const slotRows = (data: ArrayLike<number>, b: number) => Array.from({ length: L * H }, (_, i) => data[(Math.floor(i / H) * B + b) * H + (i % H)]);
    expect(maxAbsDiff(slotRows(state.hN.data, 1), slotRows(restarted.hN.data, 1))).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(slotRows(state.cN.data, 2), slotRows(whole.cN.data, 2))).toBeLessThanOrEqual(1e-12);
    await stream.reset(0);
    expect(slotRows((await stream.state()).hN.data, 0).every((v) => v === 0)).toBe(true);
  });

  it('a batchFirst model takes and gives [B, k, ·]', async () => {
    const [I, H, B, T] = [2, 4, 3, 5];
    const model = LSTM.random({ inputSize: I, hiddenSize: H, batchFirst: true, seed: 5 });
    const x = wave(B * T * I); // [B, T, I]
    const whole = referenceResult(model, x, { steps: T, batch: B });
    const stream = (await cpu.load(model)).stream({ batch: B });
    const part = (t0: number, k: number) => Array.from({ length: B * k * I }, (_, i) => x[(Math.floor(i / (k * I)) * T + t0) * I + (i % (k * I))]);
    const first = await stream.push(part(0, 2), 2);
    const second = await stream.push(part(2, 3), 3);
    expect(first.output.shape).toEqual([B, 2, H]);
    const joined = Array.from({ length: B * T * H }, (_, i) => {
      const [b, t, u] = [Math.floor(i / (T * H)), Math.floor(i / H) % T, i % H];
      return t < 2 ? first.output.data[(b * 2 + t) * H + u] : second.output.data[(b * 3 + t - 2) * H + u];
    });
    expect(maxAbsDiff(joined, whole.output.data)).toBeLessThanOrEqual(1e-12);
  });
});

describe('stream errors', () => {
  const model = LSTM.random({ inputSize: 2, hiddenSize: 3, seed: 1 });

  it('refuses a bidirectional or go_backwards model, saying it needs the future', async () => {
    const bidirectional = await cpu.load(LSTM.random({ inputSize: 2, hiddenSize: 3, bidirectional: true, seed: 1 }));
    expect(() => bidirectional.stream({ batch: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/bidirectional.*reverse pass/) }));
    const backwards = await cpu.load(new LSTM({ inputSize: 2, hiddenSize: 3, goBackwards: true }, LSTM.random({ inputSize: 2, hiddenSize: 3, seed: 1 }).tensors()));
    expect(() => backwards.stream({ batch: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/go_backwards/) }));
  });

  it('checks options, x, steps, slot and states, naming each', async () => {
    const runner = await cpu.load(model);
    expect(() => runner.stream({ batch: 0 })).toThrow(/options\.batch: expected an integer in \[1, \d+\], got 0/);
    expect(() => runner.stream({ batch: 1, outputs: 'first' as 'all' })).toThrow(/options\.outputs: expected 'all' or 'last', got "first"/);
    const stream = runner.stream({ batch: 2 });
    await expect(stream.step([1, 2, 3])).rejects.toMatchObject({ code: 'INVALID_SHAPE', message: expect.stringMatching(/^x: expected 4 values/) });
    await expect(stream.push([1, 2, 3, 4], 1.5)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^steps: expected an integer/) });
    await expect(stream.step([1, NaN, 3, 4])).rejects.toMatchObject({ code: 'NON_FINITE' });
    await expect(stream.reset(2)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'slot: expected an integer in [0, 1], got 2' });
    await expect(stream.reset(0, [1, 2])).rejects.toMatchObject({ code: 'INVALID_SHAPE', message: expect.stringMatching(/^h0: expected 3 numbers for shape \[1, 3\]/) });
    stream.dispose();
    stream.dispose();
    await expect(stream.step([1, 2, 3, 4])).rejects.toMatchObject({ code: 'DISPOSED' });
  });

  it('warmup checks its sizes and does nothing on the CPU', async () => {
    const runner = await cpu.load(model);
    await expect(runner.warmup({ steps: 0, batch: 1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^options\.steps/) });
    await expect(runner.warmup({ steps: 3, batch: 2 })).resolves.toBeUndefined();
  });
});

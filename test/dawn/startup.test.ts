import './dawn-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { verify } from '../../src/api/verify.js';
import { chooseBatchTile } from '../../src/gpu/kernels/lstm-sequence.js';
import { LSTM } from '../../src/model/lstm.js';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { openDawn } from './dawn-env.js';

// Start-up on Dawn: what a first call of a new shape may run on, and what verify may reuse.
// (Timings belong to the bench: bench/startup.mjs.)

let backend: NodeBackend;
beforeAll(async () => {
  backend = await openDawn();
});
afterAll(async () => {
  await backend?.close();
});

const wave = (n: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(0.37 * i + 0.1));

describe('start-up', () => {
  it('a new batch size first runs on a compiled batch tile half its own, with the same bits as on its own tile after warmup', async () => {
    // The batch sizes whose ideal tiles are 8 and 4, as src/gpu/plan.ts chooses them on this adapter.
    const minWorkgroups = backend.adapter!.isSoftware ? 2 * (globalThis.navigator?.hardwareConcurrency ?? 2) : 64;
    const [T, B, I, H] = [6, 8 * minWorkgroups, 5, 40];
    expect([chooseBatchTile(B, minWorkgroups), chooseBatchTile(B / 2, minWorkgroups)]).toEqual([8, 4]);
    const runner = await backend.load(LSTM.random({ inputSize: I, hiddenSize: H, numLayers: 2, seed: 9 }));
    await runner.warmup({ steps: 2, batch: B / 2 });
    const x = wave(T * B * I);
    const first = await runner.forward(x, { steps: T, batch: B });
    await runner.warmup({ steps: T, batch: B });
    const later = await runner.forward(x, { steps: T, batch: B });
    expect(Array.from(later.output.data)).toEqual(Array.from(first.output.data));
    expect(Array.from(later.hN.data)).toEqual(Array.from(first.hN.data));
    expect(Array.from(later.cN.data)).toEqual(Array.from(first.cN.data));
    runner.dispose();
  });

  it('verify runs on a backend it is given and leaves it open', async () => {
    const model = LSTM.random({ inputSize: 3, hiddenSize: 8, seed: 4 });
    const report = await verify(model, wave(4 * 2 * 3), { steps: 4, batch: 2, backend });
    expect(report.passed).toBe(true);
    expect(report.adapter).toEqual(backend.adapter);
    const runner = await backend.load(model); // still open
    runner.dispose();
    const cpu = await createBackend({ prefer: 'cpu' });
    await expect(verify(model, wave(4 * 2 * 3), { steps: 4, batch: 2, backend: cpu })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'options.backend: expected an open WebGPU or wasm backend, got a cpu backend',
    });
  });
});

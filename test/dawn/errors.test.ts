import './dawn-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults, kDefaultTolerance } from '../../src/api/compare.js';
import { referenceResult } from '../../src/api/runner.js';
import type { Runner } from '../../src/api/backend.js';
import type { ForwardOptions } from '../../src/core/forward-options.js';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { randomCase } from '../support/random-case.js';
import { openDawn } from './dawn-env.js';

// The runner's errors on Dawn: the front door's checks (before any GPU work), the GPU's own
// rejection of a kernel, limits no split can meet, a disposed runner; after each, a valid call on
// the same runner matches the CPU.

const { model, x } = randomCase({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, steps: 5, batch: 2, seed: 3 });
const [T, B] = [5, 2];
const withValue = (at: number, value: number) => x.map((v, i) => (i === at ? value : v));

interface DawnGlobals {
  GPUDevice: { prototype: GPUDevice };
}

const kCases: [string, () => [ArrayLike<number>, ForwardOptions], string, string | RegExp][] = [
  ['x of the wrong length', () => [x.subarray(1), { steps: T, batch: B }], 'INVALID_SHAPE', 'x: expected 30 values for shape [5, 2, 3], got 29 values'],
  ['T absurdly large', () => [x, { steps: 2 ** 40, batch: B }], 'INVALID_ARGUMENT', 'options.steps: expected an integer in [1, 268435456], got 1099511627776'],
  ['h0 of the wrong shape', () => [x, { steps: T, batch: B, h0: new Float64Array(8) }], 'INVALID_SHAPE', 'h0: expected 32 values for shape [4, 2, 4], got 8 values'],
  ['a length above T', () => [x, { steps: T, batch: B, lengths: [5, 6] }], 'INVALID_ARGUMENT', 'lengths[1]: expected an integer in [1, 5], got 6'],
  ['NaN in x', () => [withValue(7, NaN), { steps: T, batch: B }], 'NON_FINITE', 'x at t=1, b=0, i=1 (flat index 7) is NaN'],
];

let backend: NodeBackend;
let runner: Runner;
beforeAll(async () => {
  backend = await openDawn();
  runner = await backend.load(model);
});
afterAll(async () => {
  runner?.dispose();
  await backend?.close();
});

async function expectValidCallMatches(steps = T): Promise<void> {
  const good = randomCase({ inputSize: 3, hiddenSize: 4, steps, batch: B, seed: 5 }).x;
  const options = { steps, batch: B };
  const report = compareResults(model.config, referenceResult(model, good, options), await runner.forward(good, options), kDefaultTolerance);
  expect(report.passed, JSON.stringify(report.output.worst)).toBe(true);
}

describe('Dawn runner errors, and the same runner afterwards', () => {
  it.each(kCases)('%s', async (_name, call, code, message) => {
    const error = await runner.forward(...call()).then(() => null, (e: { code: string; message: string }) => e);
    expect(error?.code, error?.message).toBe(code);
    expect(error!.message).toContain(message);
    await expectValidCallMatches();
  });

  it('a kernel the GPU rejects is a GPU_ERROR naming the bind group, and the runner recovers', async () => {
    // Fault injection: the bind groups of layer 0's reverse recurrence lose their last entry.
    const { globals } = (await import('webgpu')) as unknown as { globals: DawnGlobals };
    const original = globals.GPUDevice.prototype.createBindGroup;
    globals.GPUDevice.prototype.createBindGroup = function (descriptor: GPUBindGroupDescriptor) {
      const broken = / l0d1/.test(descriptor.label ?? '') && !/projection/.test(descriptor.label ?? '');
      return original.call(this, broken ? { ...descriptor, entries: [...descriptor.entries].slice(0, -1) } : descriptor);
    };
    let error: { code: string; message: string } | null;
    try {
      const bad = randomCase({ inputSize: 3, hiddenSize: 4, steps: 4, batch: B, seed: 6 }).x;
      error = await runner.forward(bad, { steps: 4, batch: B }).then(() => null, (e) => e);
    } finally {
      globals.GPUDevice.prototype.createBindGroup = original;
    }
    expect(error?.code, error?.message).toBe('GPU_ERROR');
    expect(error!.message).toMatch(/^forward: the GPU rejected the work \(T=4, B=2\): .*(steps|sequence) l0d1/s);
    await expectValidCallMatches(4);
  });

  it('weights larger than a limit are refused at load, naming the limit', async () => {
    const small = await openDawn({ limits: { maxStorageBufferBindingSize: 4096 } });
    try {
      const big = randomCase({ inputSize: 2, hiddenSize: 32, steps: 1, batch: 1 }).model;
      const error = await small.load(big).then(() => null, (e: { code: string; message: string }) => [e.code, e.message]);
      expect(error).toEqual([
        'LIMIT_EXCEEDED',
        "load: weight_hh_l0 needs 16384 bytes, more than the device's maxStorageBufferBindingSize of 4096; weights cannot be split, so this model needs a device with a larger limit (or the CPU)",
      ]);
    } finally {
      await small.close();
    }
  });

  it('a disposed runner refuses to run and frees its memory; dispose is safe twice', async () => {
    const own = await backend.load(model);
    await own.forward(x, { steps: T, batch: B });
    expect(own.gpuBytes).toBeGreaterThan(0);
    own.dispose();
    own.dispose();
    expect(own.gpuBytes).toBe(0);
    const error = await own.forward(x, { steps: T, batch: B }).then(() => null, (e: { code: string; message: string }) => [e.code, e.message]);
    expect(error).toEqual(['DISPOSED', 'forward: this runner was disposed; load the model again']);
  });
});

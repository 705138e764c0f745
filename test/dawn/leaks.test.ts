import './dawn-env.js';
import { describe, expect, it } from 'vitest';
import { compareResults, kDefaultTolerance } from '../../src/api/compare.js';
import { referenceResult } from '../../src/api/runner.js';
import { bufferTracking, type GpuClasses } from '../support/buffer-tracking.js';
import { randomCase } from '../support/random-case.js';
import { openDawn } from './dawn-env.js';

// No leaks, no races, on Dawn. Live GPU buffers are counted from outside the library by wrapping
// Dawn's GPUDevice.prototype.createBuffer and GPUBuffer.prototype.destroy; mixed calls (more shapes
// than a runner caches, traced, failing and split calls among them) keep the count bounded and
// dispose returns it to its baseline. Overlapping calls each get their own, correct result.

/** The shared tracker (test/support/buffer-tracking.ts) on Dawn's own WebGPU classes. */
async function trackBuffers() {
  const { globals } = (await import('webgpu')) as unknown as { globals: GpuClasses };
  return bufferTracking(globals)();
}

describe('GPU buffers on Dawn across 300 forward calls', () => {
  it('stay bounded, and return to the baseline after dispose', async () => {
    const tracker = await trackBuffers();
    try {
      const backend = await openDawn();
      const splitting = await openDawn({ limits: { maxBufferSize: 4096 } });
      const baseline = tracker.live;
      const { model } = randomCase({ inputSize: 3, hiddenSize: 10, numLayers: 2, bidirectional: true, steps: 1, batch: 1, seed: 4 });
      const runner = await backend.load(model, { recurrence: 'steps' });
      const split = await splitting.load(model);
      const afterLoad = tracker.live;
      const shapes = [[3, 1], [5, 2], [2, 7], [9, 1], [4, 4], [1, 3], [6, 2]] as const;
      let failures = 0;
      let splitCalls = 0;
      for (let call = 0; call < 300; call++) {
        const [T, B] = shapes[call % shapes.length];
        const { x } = randomCase({ inputSize: 3, hiddenSize: 10, steps: T, batch: B, seed: call });
        if (call % 50 === 49) {
          await runner.forward(x, { steps: T, batch: B, lengths: new Array(B).fill(T + 1) }).catch(() => failures++);
        } else if (call % 100 === 0) {
          const long = randomCase({ inputSize: 3, hiddenSize: 10, steps: 40, batch: 2, seed: call });
          if ((await split.forward(long.x, long.options)).stats.submits > 1) splitCalls++;
        } else {
          await runner.forward(x, { steps: T, batch: B, trace: call % 7 === 3 });
        }
      }
      const afterCalls = tracker.live;
      runner.dispose();
      split.dispose();
      const afterDispose = tracker.live;
      runner.dispose();
      await Promise.all([backend.close(), splitting.close()]);
      console.log(`live buffers on Dawn: baseline ${baseline}, after load ${afterLoad}, peak ${tracker.maxLive}, after calls ${afterCalls}, after dispose ${afterDispose}`);
      expect(failures).toBe(6);
      expect(splitCalls).toBe(3);
      // Weights plus at most 4 cached shapes per runner (~40 buffers each for this model).
      expect(tracker.maxLive).toBeLessThan(afterLoad + 2 * 4 * 40);
      expect(afterDispose).toBe(baseline);
      expect(runner.gpuBytes).toBe(0);
    } finally {
      tracker.stop();
    }
  });
});

describe('overlapping forward calls on one Dawn runner', () => {
  it('each of 60 gets its own correct result, and the failing ones fail alone', async () => {
    const backend = await openDawn();
    try {
      const { model } = randomCase({ inputSize: 4, hiddenSize: 24, numLayers: 2, steps: 1, batch: 1, seed: 8 });
      const runner = await backend.load(model);
      const shapes = [[6, 2], [3, 5], [8, 1]] as const;
      const calls = Array.from({ length: 60 }, (_, k) => {
        const [T, B] = shapes[k % 3];
        const { x } = randomCase({ inputSize: 4, hiddenSize: 24, steps: T, batch: B, seed: 100 + k });
        const options = { steps: T, batch: B, ...(k % 10 === 9 ? { lengths: new Array(B).fill(0) } : {}) };
        return { x, options, result: runner.forward(x, options) };
      });
      const settled = await Promise.allSettled(calls.map((c) => c.result));
      settled.forEach((s, k) => {
        if (k % 10 === 9) {
          expect(s.status, `call ${k}`).toBe('rejected');
          expect((s as PromiseRejectedResult).reason.code).toBe('INVALID_ARGUMENT');
          return;
        }
        expect(s.status, `call ${k}`).toBe('fulfilled');
        const expected = referenceResult(model, calls[k].x, calls[k].options);
        const report = compareResults(model.config, expected, (s as PromiseFulfilledResult<Awaited<typeof calls[0]['result']>>).value, kDefaultTolerance);
        expect(report.passed, `call ${k}: ${JSON.stringify(report.output.worst)}`).toBe(true);
      });
      runner.dispose();
    } finally {
      await backend.close();
    }
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { useKitSession, type CheckReport, type KitWindow } from '../support/page-kit.js';

// No leaks, no races. The page counts live GPU buffers from outside the library (lstmKit.trackBuffers);
// 1 000 forward calls of mixed shapes (more than the 4 a runner caches, with traced calls, failing
// calls and split calls among them) must keep that count bounded and return it to its baseline on
// dispose. 100 overlapping calls must each get their own result.

const session = useKitSession();

interface LeakOutcome {
  readonly baseline: number;
  readonly afterLoad: number;
  readonly maxLive: number;
  readonly afterCalls: number;
  readonly afterDispose: number;
  readonly afterSecondDispose: number;
  readonly gpuBytesMatched: boolean;
  readonly gpuBytesAfterDispose: number;
  readonly failures: number;
  readonly splitCalls: number;
  readonly lastCheck: CheckReport;
}

describe('GPU buffers across 1 000 forward calls', () => {
  let outcome: LeakOutcome;
  beforeAll(async () => {
    outcome = await session().page.evaluate(async () => {
      const { webgpuLstm: lib, lstmKit: kit } = window as unknown as KitWindow;
      const buffers = kit.trackBuffers();
      try {
        const backend = await lib.createBackend({ prefer: 'webgpu' });
        const baseline = buffers.live;
        const model = lib.LSTM.random({ inputSize: 3, hiddenSize: 10, numLayers: 2, bidirectional: true, seed: 4 });
        const runner = await backend.load(model, { recurrence: 'steps' });
        // A second runner on the same device whose limits split every call over time.
        const small = await lib.createBackend({ prefer: 'webgpu', device: backend.device!, limits: { maxBufferSize: 4096 } });
        const splitting = await small.load(model, { recurrence: 'steps' });
        const afterLoad = buffers.live;
        const shapes = [[3, 1], [5, 2], [2, 7], [9, 1], [4, 4], [1, 3], [6, 2]] as const;
        let failures = 0;
        let splitCalls = 0;
        let gpuBytesMatched = true;
        let lastCheck: CheckReport = { passed: false, maxAbs: NaN, worst: 'not run' };
        for (let call = 0; call < 1000; call++) {
          const [T, B] = shapes[call % shapes.length];
          const x = kit.wave(T * B * 3, call);
          if (call % 50 === 49) {
            // A failing call: nothing may be left behind by it either.
            await runner.forward(x, { steps: T, batch: B, lengths: new Array(B).fill(T + 1) }).catch(() => failures++);
          } else if (call % 100 === 0) {
            const result = await splitting.forward(kit.wave(40 * 2 * 3, call), { steps: 40, batch: 2 });
            if (result.stats.submits > 1) splitCalls++;
          } else {
            const options = { steps: T, batch: B, trace: call % 7 === 3 };
            const result = await runner.forward(x, options);
            if (call === 998) lastCheck = await kit.check(model, x, options, result);
          }
          if (call % 97 === 0) gpuBytesMatched &&= runner.gpuBytes + splitting.gpuBytes === buffers.liveBytes;
        }
        const afterCalls = buffers.live;
        runner.dispose();
        splitting.dispose();
        const afterDispose = buffers.live;
        runner.dispose();
        splitting.dispose();
        const afterSecondDispose = buffers.live;
        const gpuBytesAfterDispose = runner.gpuBytes + splitting.gpuBytes;
        backend.dispose();
        return { baseline, afterLoad, maxLive: buffers.maxLive, afterCalls, afterDispose, afterSecondDispose, gpuBytesMatched, gpuBytesAfterDispose, failures, splitCalls, lastCheck };
      } finally {
        buffers.stop();
      }
    });
    console.log(
      `live GPU buffers: baseline ${outcome.baseline}, after load ${outcome.afterLoad}, at most ${outcome.maxLive} at any moment of 1 000 calls, ` +
        `${outcome.afterCalls} after them, ${outcome.afterDispose} after dispose`,
    );
  });

  it('the calls ran: failing ones failed, split ones split, and a late one matched the CPU', () => {
    expect(outcome.failures).toBe(20);
    expect(outcome.splitCalls).toBe(10);
    expect(outcome.lastCheck.passed, outcome.lastCheck.worst).toBe(true);
  });

  it('stays bounded: weights plus at most 4 cached shapes per runner, plus one split call in flight', () => {
    // Two runners' weights (12 buffers each), per shape at most ~40 buffers for this model.
    expect(outcome.maxLive).toBeLessThan(outcome.afterLoad + 2 * 4 * 40);
    expect(outcome.afterCalls).toBeLessThanOrEqual(outcome.maxLive);
  });

  it('gpuBytes reports the bytes of every live buffer the runners hold', () => {
    expect(outcome.gpuBytesMatched).toBe(true);
    expect(outcome.gpuBytesAfterDispose).toBe(0);
  });

  it('dispose returns the count to its baseline, and is safe to call twice', () => {
    expect(outcome.afterDispose).toBe(outcome.baseline);
    expect(outcome.afterSecondDispose).toBe(outcome.baseline);
  });
});

describe('100 overlapping forward calls on one runner', () => {
  it('each gets its own correct result, and the failing ones fail alone', async () => {
    const outcome = await session().page.evaluate(async () => {
      const { webgpuLstm: lib, lstmKit: kit } = window as unknown as KitWindow;
      const backend = await lib.createBackend({ prefer: 'webgpu' });
      const model = lib.LSTM.random({ inputSize: 4, hiddenSize: 24, numLayers: 2, seed: 8 });
      const runner = await backend.load(model);
      const shapes = [[6, 2], [3, 5], [8, 1]] as const;
      const calls = Array.from({ length: 100 }, (_, k) => {
        const [T, B] = shapes[k % 3];
        const x = kit.wave(T * B * 4, k);
        const options = { steps: T, batch: B, ...(k % 10 === 9 ? { lengths: new Array(B).fill(0) } : {}) };
        return { x, options, result: runner.forward(x, options) };
      });
      const settled = await Promise.allSettled(calls.map((c) => c.result));
      const reports: (CheckReport | string)[] = [];
      for (let k = 0; k < calls.length; k++) {
        const s = settled[k];
        reports.push(s.status === 'fulfilled' ? await kit.check(model, calls[k].x, calls[k].options, s.value) : String((s.reason as { code: string }).code));
      }
      runner.dispose();
      backend.dispose();
      return reports;
    });
    outcome.forEach((report, k) => {
      if (k % 10 === 9) expect(report, `call ${k}`).toBe('INVALID_ARGUMENT');
      else expect((report as CheckReport).passed, `call ${k}: ${(report as CheckReport).worst}`).toBe(true);
    });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { useKitSession, type CheckReport, type KitWindow } from '../support/page-kit.js';

// The GPU can go away: device.destroy() mid-use stands in for a lost device (a driver reset, a
// tab in the background too long). Pending and later calls reject with DEVICE_LOST, none hangs,
// backend.lost says so, and the same model object runs again on a new backend, or on the CPU.

const session = useKitSession();

/** No call may hang: every pending call must settle within this after the loss. */
const kSettleMs = 5000;

interface LossOutcome {
  /** How each of the calls pending at the loss settled: [code, message] or 'ok'. */
  readonly pending: (string[] | 'ok')[];
  readonly settledMs: number;
  readonly later: string[] | 'ok';
  readonly load: string[] | 'ok';
  readonly lost: { reason: string; message: string } | 'pending';
  readonly again: { kind: string; report: CheckReport };
  readonly fallback: { kind: string; reason: string; report: CheckReport };
}

describe('device loss', () => {
  let outcome: LossOutcome;
  beforeAll(async () => {
    outcome = await session().page.evaluate(async (settleMs: number) => {
      const { webgpuLstm: lib, lstmKit: kit } = window as unknown as KitWindow;
      const settle = (p: Promise<unknown>) =>
        p.then(
          () => 'ok' as const,
          (e: { code?: string; message?: string }) => [String(e.code), String(e.message)],
        );
      const withTimeout = <T,>(p: Promise<T>, what: string) =>
        Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} hung for ${settleMs} ms`)), settleMs))]);

      const model = lib.LSTM.random({ inputSize: 4, hiddenSize: 16, numLayers: 2, bidirectional: true, seed: 9 });
      const x = kit.wave(200 * 3 * 4);
      const options = { steps: 200, batch: 3 };
      const backend = await lib.createBackend({ prefer: 'webgpu' });
      const runner = await backend.load(model, { recurrence: 'steps' });
      await runner.forward(x, options);

      // Five calls in flight (one running, four queued), then the device goes.
      const calls = Array.from({ length: 5 }, (_, k) => settle(runner.forward(kit.wave(200 * 3 * 4, k), options)));
      await new Promise((resolve) => setTimeout(resolve, 5));
      const t0 = performance.now();
      backend.device!.destroy();
      const pending = await withTimeout(Promise.all(calls), 'a pending call');
      const settledMs = performance.now() - t0;
      const later = await withTimeout(settle(runner.forward(x, options)), 'a later call');
      const load = await withTimeout(settle(backend.load(model)), 'loading on the lost device');
      const lost = await Promise.race([backend.lost, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), settleMs))]);

      // The documented way on: a new backend, the same model object.
      const next = await lib.createBackend({ prefer: 'auto', allowSoftwareAdapter: true });
      const nextRunner = await next.load(model);
      const nextResult = await nextRunner.forward(x, options);
      const again = { kind: next.kind, report: await kit.check(model, x, options, nextResult) };
      nextRunner.dispose();
      next.dispose();

      // Where no adapter is left, 'auto' gives the wasm engine, and says why.
      const noGpu = { requestAdapter: async () => null } as unknown as GPU;
      const cpu = await lib.createBackend({ prefer: 'auto', gpu: noGpu });
      const cpuResult = await (await cpu.load(model)).forward(x, options);
      // Judged against the new GPU backend's result: kit.check would hold the CPU to itself.
      const vsGpu = lib.compareResults(model.config, nextResult, cpuResult);
      const fallback = { kind: cpu.kind, reason: cpu.reason, report: { passed: vsGpu.passed, maxAbs: vsGpu.maxAbs, worst: `max |cpu − gpu| = ${vsGpu.maxAbs}` } };
      return { pending, settledMs, later, load, lost, again, fallback };
    }, kSettleMs);
  });

  it('every call pending at the loss rejects with DEVICE_LOST (or had finished), and none hangs', () => {
    expect(outcome.settledMs).toBeLessThan(kSettleMs);
    const rejected = outcome.pending.filter((p) => p !== 'ok');
    expect(rejected.length, JSON.stringify(outcome.pending)).toBeGreaterThanOrEqual(4);
    for (const p of rejected) {
      expect(p[0]).toBe('DEVICE_LOST');
      expect(p[1]).toMatch(/^forward: the GPU device was lost \(destroyed: .*\); load the model on a new backend, or on the CPU$/);
    }
  });

  it('a later call, and loading a model on the lost device, reject with DEVICE_LOST at once', () => {
    expect(outcome.later[0]).toBe('DEVICE_LOST');
    expect(outcome.load[0]).toBe('DEVICE_LOST');
    expect(outcome.load[1]).toMatch(/^load: the GPU device was lost/);
  });

  it('backend.lost resolves with the reason', () => {
    expect(outcome.lost).toMatchObject({ reason: 'destroyed' });
  });

  it('the same model runs again on a new backend, with the same results as the CPU', () => {
    expect(outcome.again.kind).toBe('webgpu');
    expect(outcome.again.report.passed, outcome.again.report.worst).toBe(true);
  });

  it("with 'auto' and no adapter left, the caller gets the wasm engine, and the reason; it agrees with the GPU", () => {
    expect(outcome.fallback.kind).toBe('wasm');
    expect(outcome.fallback.reason).toContain('auto: the wasm engine, because WebGPU backend unavailable');
    expect(outcome.fallback.report.passed, outcome.fallback.report.worst).toBe(true);
  });
});

describe("a caller's own device", () => {
  it('is never destroyed by the library, and its loss reaches runners on it', async () => {
    const result = await session().page.evaluate(async () => {
      const { webgpuLstm: lib, lstmKit: kit } = window as unknown as KitWindow;
      const device = await (await navigator.gpu.requestAdapter())!.requestDevice();
      const backend = await lib.createBackend({ prefer: 'webgpu', device });
      const runner = await backend.load(lib.LSTM.random({ inputSize: 2, hiddenSize: 3, seed: 1 }));
      backend.dispose();
      const afterDispose = await runner.forward(kit.wave(8), { steps: 4, batch: 1 }).then(() => 'ok', (e: { code: string }) => e.code);
      device.destroy();
      const afterLoss = await runner.forward(kit.wave(8), { steps: 4, batch: 1 }).then(() => 'ok', (e: { code: string }) => e.code);
      return { afterDispose, afterLoss };
    });
    expect(result).toEqual({ afterDispose: 'ok', afterLoss: 'DEVICE_LOST' });
  });
});

import './dawn-env.js';
import { describe, expect, it } from 'vitest';
import { compareResults, kDefaultTolerance } from '../../src/api/compare.js';
import { referenceResult } from '../../src/api/runner.js';
import { randomCase } from '../support/random-case.js';
import { openDawn } from './dawn-env.js';

// The GPU can go away: device.destroy() mid-use stands in for a lost device. On Dawn as in
// Chromium, pending and later calls reject with DEVICE_LOST, none hangs, backend.lost says so, and
// the same model runs again on a new backend.

/** No call may hang: every pending call must settle within this after the loss. */
const kSettleMs = 5000;

const settle = (p: Promise<unknown>) =>
  p.then(
    () => 'ok' as const,
    (e: { code?: string; message?: string }) => [String(e.code), String(e.message)],
  );
const withTimeout = <T>(p: Promise<T>, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} hung for ${kSettleMs} ms`)), kSettleMs))]);

describe('device loss on Dawn', () => {
  it('pending and later calls reject with DEVICE_LOST, lost resolves, and a new backend runs the model', async () => {
    const spec = { inputSize: 4, hiddenSize: 16, numLayers: 2, bidirectional: true, steps: 200, batch: 3, seed: 9 };
    const { model, x, options } = randomCase(spec);
    const backend = await openDawn();
    const runner = await backend.load(model, { recurrence: 'steps' });
    await runner.forward(x, options);

    const calls = Array.from({ length: 5 }, (_, k) => settle(runner.forward(randomCase({ ...spec, seed: 20 + k }).x, options)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const t0 = performance.now();
    backend.device!.destroy();
    const pending = await withTimeout(Promise.all(calls), 'a pending call');
    const settledMs = performance.now() - t0;
    const later = await withTimeout(settle(runner.forward(x, options)), 'a later call');
    const load = await withTimeout(settle(backend.load(model)), 'loading on the lost device');
    const lost = await withTimeout(backend.lost, 'backend.lost');
    console.log(`Dawn device loss: pending calls settled in ${settledMs.toFixed(1)} ms: ${JSON.stringify(pending.map((p) => (p === 'ok' ? p : p[0])))}`);

    expect(settledMs).toBeLessThan(kSettleMs);
    const rejected = pending.filter((p) => p !== 'ok');
    expect(rejected.length, JSON.stringify(pending)).toBeGreaterThanOrEqual(4);
    for (const p of rejected) {
      expect(p[0]).toBe('DEVICE_LOST');
      expect(p[1]).toMatch(/^forward: the GPU device was lost \(destroyed: .*\); load the model on a new backend, or on the CPU$/);
    }
    expect(later[0]).toBe('DEVICE_LOST');
    expect(load[0]).toBe('DEVICE_LOST');
    expect(lost).toMatchObject({ reason: 'destroyed' });

    const next = await openDawn();
    try {
      const again = await (await next.load(model)).forward(x, options);
      const report = compareResults(model.config, referenceResult(model, x, options), again, kDefaultTolerance);
      expect(report.passed, JSON.stringify(report.output.worst)).toBe(true);
    } finally {
      await next.close();
    }
  });
});

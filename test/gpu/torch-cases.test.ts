import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserSession } from '../../src/node/chromium/browser-session.js';
import { remoteForward } from '../../src/node/chromium/remote.js';
import { directionCount } from '../../src/model/config.js';
import { loadTorchCase, maxAbsDiff, torchCaseNames } from '../support/fixtures.js';
import { openGpuSession } from '../support/gpu-session.js';

/**
 * WebGPU (float32) against float64 torch.nn.LSTM semantics (the NumPy fixtures), within 1e-5 max
 * abs error — except `extreme`, whose weights and inputs of magnitude 100 make gate
 * pre-activations sums of ±1e4 terms: float32 cannot even hold those inputs to better than ~4e-6
 * relative, so its bound is the float32 floor, 2e-3 (a float32 NumPy run of the same case errs by
 * 4.2e-4). Every case must stay finite.
 */
const kTolerance: Record<string, number> = { extreme: 2e-3 };
const kDefault = 1e-5;

let session: BrowserSession;
beforeAll(async () => {
  ({ session } = await openGpuSession());
});
afterAll(async () => {
  await session?.close();
});

describe('WebGPU vs the float64 torch.nn.LSTM fixtures', () => {
  it.each(torchCaseNames())('%s', async (name) => {
    const c = loadTorchCase(name);
    const { result } = await remoteForward(session, c.model, c.input.x, c.input.options);
    const tolerance = kTolerance[name] ?? kDefault;
    for (const [part, actual, expected] of [
      ['output', result.output, c.expected.output],
      ['h_n', result.hN, c.expected.hN],
      ['c_n', result.cN, c.expected.cN],
    ] as const) {
      expect(actual.shape, part).toEqual(expected.shape);
      expect(actual.data.every(Number.isFinite), `${part} finite`).toBe(true);
      expect(maxAbsDiff(actual.data, expected.data), `${part} max abs error`).toBeLessThanOrEqual(tolerance);
    }
    const { numLayers: L } = c.model.config;
    const D = directionCount(c.model.config);
    const T = c.input.options.steps;
    expect(result.stats.dispatches).toBeLessThanOrEqual(L * D * (T + 1) + 4);
    expect(result.stats.submits).toBe(1);
    expect(result.stats.readbacks).toBe(1);
  });
});

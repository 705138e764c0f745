import './dawn-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { directionCount } from '../../src/model/config.js';
import { loadTorchCase, maxAbsDiff, torchCaseNames } from '../support/fixtures.js';
import { openDawn } from './dawn-env.js';

/**
 * WebGPU through Dawn in Node (float32) against the float64 torch.nn.LSTM fixtures, with the same
 * bounds as in Chromium (test/gpu/torch-cases.test.ts) for the same reasons: 1e-5 max abs error,
 * except `extreme` (weights and inputs of magnitude 100), whose float32 floor is 2e-3.
 */
const kTolerance: Record<string, number> = { extreme: 2e-3 };
const kDefault = 1e-5;

let backend: NodeBackend;
beforeAll(async () => {
  backend = await openDawn();
  console.log(`Dawn adapter: ${backend.adapter!.vendor} ${backend.adapter!.architecture} (${backend.adapter!.description}); ${backend.reason}`);
});
afterAll(async () => {
  await backend?.close();
});

describe('WebGPU on Dawn vs the float64 torch.nn.LSTM fixtures', () => {
  it.each(torchCaseNames())('%s', async (name) => {
    const c = loadTorchCase(name);
    const runner = await backend.load(c.model);
    try {
      const result = await runner.forward(c.input.x, c.input.options);
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
      const T = c.input.options.steps;
      expect(result.stats.dispatches).toBeLessThanOrEqual(L * directionCount(c.model.config) * (T + 1) + 4);
      expect(result.stats.submits).toBe(1);
      expect(result.stats.readbacks).toBe(1);
    } finally {
      runner.dispose();
    }
  });
});

import './dawn-env.js';
import { describe, expect, it } from 'vitest';
import { verify as verifyAnywhere } from '../../src/api/verify.js';
import { verify } from '../../src/node/verify.js';
import { LSTM } from '../../src/model/lstm.js';
import { kDistDir } from '../support/gpu-session.js';
import { randomCase } from '../support/random-case.js';

// verify(model, x, options) in Node without a backend: the main entry point cannot open one (it
// has no Node code), so it says where to get one; webgpu-lstm/node's verify opens it by itself.
describe('verify in Node without options.backend', () => {
  const { model, x, options } = randomCase({ inputSize: 3, hiddenSize: 5, head: { layers: [{ outFeatures: 2 }] }, steps: 4, batch: 2, seed: 8 });

  it("webgpu-lstm's verify points to createNodeBackend, not to a browser", async () => {
    const error = await verifyAnywhere(model, x, options).catch((e) => e);
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toMatch(/^WebGPU backend unavailable: in Node there is no navigator\.gpu: createNodeBackend from 'webgpu-lstm\/node' opens WebGPU/);
    expect(error.message).not.toMatch(/needs a browser/);
  });

  it("webgpu-lstm/node's verify opens the Node backend, compares every key (the prediction too), and closes it", async () => {
    const report = await verify(model, x, options);
    expect(report.passed).toBe(true);
    expect(report.adapter?.architecture).toBeTruthy();
    expect(report.prediction?.failures).toBe(0);
    expect(report.missing).toEqual([]);
  });

  it("webgpu-lstm/node's verify with runtime 'chromium' runs there", async () => {
    const plain = LSTM.random({ inputSize: 2, hiddenSize: 3, seed: 9 });
    const report = await verify(plain, Float64Array.from({ length: 6 }, (_, i) => i / 6), { steps: 3, batch: 1, runtime: 'chromium', chromium: { libraryDir: kDistDir } });
    expect(report.passed).toBe(true);
    expect(report.prediction).toBeUndefined();
  });
});

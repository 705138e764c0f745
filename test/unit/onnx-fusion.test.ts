import { describe, expect, it } from 'vitest';
import { OnnxSession } from '../../src/api/onnx-graph/session.js';
import { referenceResult } from '../../src/api/runner.js';
import type { LstmForward } from '../../src/api/onnx-graph/lstm-exec.js';
import { kOnnxCases, loadCase, maxDifference } from '../support/onnx-cases.js';

// Stack fusion (src/api/onnx-graph/stack-fusion.ts): consecutive LSTM nodes joined by layout glue
// run as one multi-layer forward call. Expected values are the fixtures' (PyTorch / NumPy float64).

const multiLayer = kOnnxCases.filter((name) => /^torch_(lstm|bi)[23]/.test(name));

/** A forward that counts its calls and the layers of the models it runs. */
function counting() {
  const calls: number[] = [];
  const forward: LstmForward = (model, x, o) => {
    calls.push(model.config.numLayers);
    return referenceResult(model, x, o);
  };
  return { calls, forward };
}

describe('LSTM stack fusion', () => {
  it('found multi-layer PyTorch exports among the fixtures', () => {
    expect(multiLayer.length).toBeGreaterThanOrEqual(2);
  });

  for (const name of multiLayer) {
    it(`${name}: one forward call for the whole stack, the fixture's outputs`, async () => {
      const { bytes, expected } = loadCase(name);
      const { calls, forward } = counting();
      const session = await OnnxSession.create(bytes, { forward });
      const lstms = session.placement.filter((p) => p.opType === 'LSTM');
      expect(lstms.length).toBeGreaterThanOrEqual(2);
      expect(new Set(lstms.map((p) => p.stack)).size).toBe(1);
      expect(lstms[0].stack).toBeDefined();
      const outputs = await session.run(expected.inputs);
      expect(calls).toEqual([lstms.length]);
      for (const [output, t] of Object.entries(outputs)) expect(maxDifference({ shape: t.dims, data: t.data as Float64Array }, expected.outputs[output]), output).toBeLessThan(1e-9);
    });
  }

  it('fuseStacks: false runs the nodes one by one, to the same outputs', async () => {
    const { bytes, expected } = loadCase(multiLayer[0]);
    const { calls, forward } = counting();
    const session = await OnnxSession.create(bytes, { forward, fuseStacks: false });
    const outputs = await session.run(expected.inputs);
    expect(calls.every((l) => l === 1)).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const [output, t] of Object.entries(outputs)) expect(maxDifference({ shape: t.dims, data: t.data as Float64Array }, expected.outputs[output]), output).toBeLessThan(1e-9);
  });
});

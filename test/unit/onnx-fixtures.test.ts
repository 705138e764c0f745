import { describe, expect, it } from 'vitest';
import { modelFromOnnx } from '../../src/api/onnx-graph/reduce.js';
import { modelToOnnx } from '../../src/formats/onnx/write.js';
import { kOnnxCases, loadCase, maxDifference, runSession } from '../support/onnx-cases.js';

// ONNX files made by torch.onnx.export and onnx.helper (test/fixtures/make_onnx_fixtures.py), run
// on the CPU reference; expected outputs from PyTorch in float64 and an independent NumPy float64
// implementation (checked there against ONNX's own LSTM_Helper).

describe('ONNX fixtures on the CPU reference', () => {
  it('found the committed fixtures', () => {
    expect(kOnnxCases.length).toBeGreaterThanOrEqual(25);
  });

  for (const name of kOnnxCases) {
    it(`${name}: every graph output matches`, async () => {
      const { bytes, expected } = loadCase(name);
      const outputs = await runSession(bytes, expected.inputs);
      expect([...outputs.keys()].sort()).toEqual(Object.keys(expected.outputs).sort());
      for (const [output, tensor] of outputs) {
        // float64 throughout on float32 weights: only summation order separates the two.
        expect(maxDifference(tensor, expected.outputs[output]), output).toBeLessThan(1e-9);
      }
    });
  }
});

describe('ONNX read → write → read', () => {
  for (const name of kOnnxCases) {
    it(`${name}: the same model, parameter for parameter`, () => {
      const first = modelFromOnnx(loadCase(name).bytes).model;
      const second = modelFromOnnx(modelToOnnx(first, { states: true, lengths: true })).model;
      expect(second.config).toEqual(first.config);
      const a = first.tensors();
      const b = second.tensors();
      expect([...b.keys()]).toEqual([...a.keys()]);
      for (const [key, t] of a) expect(Array.from(b.get(key)!.data), key).toEqual(Array.from(t.data));
    });
  }
});

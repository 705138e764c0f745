import './dawn-env.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { LSTM } from '../../src/model/lstm.js';
import { modelFromSafetensors } from '../../src/formats/safetensors-model.js';
import { kOnnxCases, loadCase, maxDifference, runSession } from '../support/onnx-cases.js';
import { openDawn } from './dawn-env.js';

// The ONNX and safetensors fixtures on WebGPU through Dawn, float32, against the PyTorch / NumPy /
// onnx-reference float64 expectations: every variant ONNX carries (activations with α/β, clip,
// input_forget, peepholes) runs in the GPU kernels (test/dawn/variants.test.ts checks each one).
// ONNX files run through OnnxSession: their LSTM nodes on the GPU, heads and glue on the host. The
// safetensors models run without their head (the webgpu backend does not run dense heads yet).

/** The model's LSTM alone: the same config and parameters without the head. */
function withoutHead(model: LSTM): LSTM {
  const { head, ...config } = model.config;
  void head;
  return new LSTM(config, new Map([...model.tensors()].filter(([name]) => !name.startsWith('head.'))));
}

let backend: NodeBackend;
beforeAll(async () => {
  backend = await openDawn();
});
afterAll(async () => {
  await backend?.close();
});

describe('ONNX fixtures on WebGPU (Dawn)', () => {
  it.each(kOnnxCases)('%s', async (name) => {
    const { bytes, expected } = loadCase(name);
    // The LSTM nodes (fused where they form a stack) on the GPU, the rest of the graph (heads included) on the host.
    const outputs = await runSession(bytes, expected.inputs, backend);
    expect([...outputs.keys()].sort()).toEqual(Object.keys(expected.outputs).sort());
    for (const [output, tensor] of outputs) expect(maxDifference(tensor, expected.outputs[output]), output).toBeLessThan(1e-5);
  });

  it.each(['lstm2_fc_f32', 'lstm1_head0_f32'])('safetensors %s', async (name) => {
    const { bytes, expected } = loadCase(name, join(import.meta.dirname, '../fixtures/safetensors'), '.safetensors');
    const model = withoutHead(modelFromSafetensors(bytes));
    const runner = await backend.load(model);
    try {
      const x = expected.inputs.x;
      const result = await runner.forward(x.data, { steps: x.shape[1], batch: x.shape[0] });
      expect(maxDifference(result.output, expected.outputs.output)).toBeLessThan(1e-5);
      expect(maxDifference(result.hN, expected.outputs.h_n)).toBeLessThan(1e-5);
      expect(maxDifference(result.cN, expected.outputs.c_n)).toBeLessThan(1e-5);
    } finally {
      runner.dispose();
    }
  });
});

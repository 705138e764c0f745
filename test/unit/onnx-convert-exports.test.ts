import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceResult } from '../../src/api/runner.js';
import { modelFromOnnx } from '../../src/formats/onnx/read.js';

// The real PyTorch exports of test/fixtures/onnx-exports/ that are exactly an LSTM stack (with and
// without (h0, c0): PyTorch's zero states are an Expand of the whole [L·D, B, H], Sliced per layer;
// padded sequences: the lengths input Cast to int32 for sequence_lens)
// become this library's model (what `convert` and `train` use), and that model, on the float64
// reference, gives ONNX Runtime's outputs (expected.mjs) to 1e-5 + 1e-5·|expected|.

const kDir = join(import.meta.dirname, '../fixtures/onnx-exports');
const kStacks = ['torch_l1_no_state', 'torch_l2_no_state_opset9', 'torch_l2_state', 'torch_l2_bidir_state', 'torch_l3_bidir_batch_first', 'torch_padded', 'torch_padded_bidir_batch_first'];

interface ExportCase {
  readonly inputs: Record<string, { shape: number[]; data: number[] }>;
  readonly outputs: Record<string, { shape: number[]; data: number[] }>;
}

describe('PyTorch exports of an LSTM stack convert to the model', () => {
  it.each(kStacks)('%s', (name) => {
    const c = JSON.parse(readFileSync(join(kDir, `${name}.json`), 'utf8')) as ExportCase;
    const { model, inputs, outputs } = modelFromOnnx(new Uint8Array(readFileSync(join(kDir, `${name}.onnx`))));
    const x = c.inputs[inputs.x];
    const [T, B] = model.config.batchFirst ? [x.shape[1], x.shape[0]] : [x.shape[0], x.shape[1]];
    const result = referenceResult(model, x.data, {
      steps: T,
      batch: B,
      ...(inputs.h0 ? { h0: c.inputs[inputs.h0].data } : {}),
      ...(inputs.c0 ? { c0: c.inputs[inputs.c0].data } : {}),
      ...(inputs.lengths ? { lengths: c.inputs[inputs.lengths].data } : {}),
    });
    expect(outputs.map((o) => o.name).sort()).toEqual(Object.keys(c.outputs).sort());
    for (const { name: output, view } of outputs) {
      const expected = c.outputs[output];
      const actual = view.kind === 'sequence' ? result.output : view.kind === 'state' && view.which === 'h' ? result.hN : result.cN;
      expect(view.kind === 'sequence' ? view.form : 'state', output).toBe(view.kind === 'sequence' ? (model.config.batchFirst ? 'BTF' : 'TBF') : 'state');
      expect(actual.shape, output).toEqual(expected.shape);
      const worst = Math.max(...expected.data.map((e, i) => Math.abs(actual.data[i] - e) / (1e-5 + 1e-5 * Math.abs(e))));
      expect(worst, `${output}: worst error / tolerance`).toBeLessThanOrEqual(1);
    }
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli-in-process.js';
import { loadCase, maxDifference } from '../support/onnx-cases.js';

// The CLI with ONNX and safetensors files: convert between them and our JSON, and run / grad with
// either as --model, on the CPU backend; expected values from PyTorch (make_onnx_fixtures.py).

const work = mkdtempSync(join(tmpdir(), 'webgpu-lstm-onnx-cli-'));
const onnxPath = join(import.meta.dirname, '../fixtures/onnx/torch_lstm1_gemm_relu_last.onnx');

describe('webgpu-lstm with ONNX and safetensors files', () => {
  const { expected } = loadCase('torch_lstm1_gemm_relu_last');
  const input = join(work, 'input.json');
  writeFileSync(input, JSON.stringify({ x: expected.inputs.x }));

  it('runs an ONNX file (format from its content) to PyTorch\'s prediction', async () => {
    const copy = join(work, 'model-without-extension');
    writeFileSync(copy, readFileSync(onnxPath));
    const out = join(work, 'run.json');
    const result = await cli(['run', '--model', copy, '--input', input, '--backend', 'cpu', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(maxDifference(written.prediction, expected.outputs.prediction)).toBeLessThan(1e-12);
    expect(maxDifference(written.h_n, expected.outputs.h_n)).toBeLessThan(1e-12);
  });

  it('converts ONNX → safetensors → JSON and runs each to the same prediction', async () => {
    const st = join(work, 'm.safetensors');
    const json = join(work, 'm.json');
    expect((await cli(['convert', onnxPath, st])).code).toBe(0);
    expect((await cli(['convert', st, json])).code).toBe(0);
    for (const model of [st, json]) {
      const out = join(work, 'out.json');
      const result = await cli(['run', '--model', model, '--input', input, '--backend', 'cpu', '--out', out]);
      expect(result.code, result.stderr).toBe(0);
      expect(maxDifference(JSON.parse(readFileSync(out, 'utf8')).prediction, expected.outputs.prediction)).toBeLessThan(1e-12);
    }
  });

  it('computes gradients of a safetensors model', async () => {
    const st = join(work, 'g.safetensors');
    await cli(['convert', onnxPath, st]);
    const x = expected.inputs.x;
    const data = join(work, 'data.json');
    writeFileSync(data, JSON.stringify({ x, y: { shape: [x.shape[0], 2], data: Array(x.shape[0] * 2).fill(0.5) } }));
    const out = join(work, 'grads.json');
    const result = await cli(['grad', '--model', st, '--input', data, '--backend', 'cpu', '--loss', 'mse', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(out, 'utf8')).grads)).toContain('weight_ih_l0');
  });
});

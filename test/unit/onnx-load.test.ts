import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadModelFile } from '../../src/api/model-files.js';
import { detectFormat, formatFromExtension, writeModelFile, type LoadedModel } from '../../src/formats/load.js';
import { loadCase } from '../support/onnx-cases.js';

// The model-file registry reads ONNX and safetensors by content or extension and writes them (what
// `webgpu-lstm convert` and --model use).

const files = (path: string, bytes: Uint8Array) => ({ path, bytes, readSibling: () => new Uint8Array() });
const lstm = (loaded: LoadedModel) => (loaded.kind === 'lstm' ? loaded.model : null)!;

describe('registry: ONNX and safetensors', () => {
  const onnx = loadCase('torch_bi2_batch_first_linear_seq').bytes;
  const st = loadCase('bi_proj_linear_f64', join(import.meta.dirname, '../fixtures/safetensors'), '.safetensors').bytes;

  it('detects each by content, without an extension', () => {
    expect(detectFormat(files('model', onnx))).toBe('onnx');
    expect(detectFormat(files('model', st))).toBe('safetensors');
    expect(formatFromExtension('out/model.onnx')).toBe('onnx');
    expect(formatFromExtension('weights.safetensors')).toBe('safetensors');
  });

  it('converts ONNX → safetensors → JSON → ONNX with the same model', async () => {
    const first = lstm(await loadModelFile(files('m.onnx', onnx)));
    const asSt = (await writeModelFile({ kind: 'lstm', model: first }, 'safetensors', 'm.safetensors')).get('m.safetensors')!;
    const second = lstm(await loadModelFile(files('m.safetensors', asSt)));
    const asJson = (await writeModelFile({ kind: 'lstm', model: second }, 'json', 'm.json')).get('m.json')!;
    const third = lstm(await loadModelFile(files('m.json', asJson)));
    const asOnnx = (await writeModelFile({ kind: 'lstm', model: third }, 'onnx', 'm.onnx')).get('m.onnx')!;
    const fourth = lstm(await loadModelFile(files('back.onnx', asOnnx)));
    for (const model of [second, third, fourth]) {
      expect(model.config).toEqual(first.config);
      for (const [name, t] of first.tensors()) expect(Array.from(model.param(name)), name).toEqual(Array.from(t.data));
    }
  });

  it('refuses to write proj_size as ONNX, saying why', async () => {
    const model = lstm(await loadModelFile(files('m.safetensors', st)));
    await expect(writeModelFile({ kind: 'lstm', model }, 'onnx', 'm.onnx')).rejects.toThrow(/config.projSize = 2: ONNX's LSTM has no projection/);
  });
});

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { LstmError } from '../../src/core/errors.js';
import { modelFromSafetensors, modelToSafetensors } from '../../src/formats/safetensors-model.js';
import { readSafetensors } from '../../src/formats/safetensors.js';
import { referenceResult } from '../../src/api/runner.js';
import { LSTM } from '../../src/model/lstm.js';
import { loadCase, maxDifference } from '../support/onnx-cases.js';

// PyTorch state_dicts written as safetensors by test/fixtures/make_onnx_fixtures.py (torch 1.13),
// expected outputs from PyTorch in float64.

const kDir = join(import.meta.dirname, '../fixtures/safetensors');
const kCases = ['lstm2_fc_f32', 'bi_proj_linear_f64', 'lstm1_head0_f32'];

function failure(bytes: Uint8Array, maxBytes?: number): string {
  try {
    modelFromSafetensors(bytes, { maxBytes });
  } catch (error) {
    if (error instanceof LstmError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

/** A file with this header (JSON text) and `data` bytes after it. */
function file(header: unknown, data = new Uint8Array(0), declaredLength?: bigint): Uint8Array {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declaredLength ?? BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

describe('safetensors state_dicts from PyTorch', () => {
  for (const name of kCases) {
    it(`${name}: output, h_n, c_n and the head's prediction match PyTorch`, () => {
      const { bytes, expected } = loadCase(name, kDir, '.safetensors');
      const model = modelFromSafetensors(bytes);
      const x = expected.inputs.x;
      const result = referenceResult(model, x.data, { steps: x.shape[1], batch: x.shape[0] });
      expect(maxDifference(result.output, expected.outputs.output)).toBeLessThan(1e-12);
      expect(maxDifference(result.hN, expected.outputs.h_n)).toBeLessThan(1e-12);
      expect(maxDifference(result.cN, expected.outputs.c_n)).toBeLessThan(1e-12);
      expect(maxDifference(result.prediction!, expected.outputs.prediction)).toBeLessThan(1e-12);
    });

    it(`${name}: read → write → read is exact`, () => {
      const first = modelFromSafetensors(loadCase(name, kDir, '.safetensors').bytes);
      const second = modelFromSafetensors(modelToSafetensors(first));
      expect(second.config).toEqual(first.config);
      for (const [key, t] of first.tensors()) expect(Array.from(second.param(key)), key).toEqual(Array.from(t.data));
    });
  }

  it('writes PyTorch names under lstm. and head.K., F32 where the values allow, the config in the metadata', () => {
    const model = LSTM.random({ inputSize: 2, hiddenSize: 3, seed: 4, peepholes: true, cellClip: 1.5, head: { layers: [{ outFeatures: 1, activation: 'sigmoid' }] } });
    const file = readSafetensors(modelToSafetensors(model));
    expect([...file.tensors.keys()]).toEqual(['lstm.weight_ih_l0', 'lstm.weight_hh_l0', 'lstm.bias_ih_l0', 'lstm.bias_hh_l0', 'lstm.weight_peephole_l0', 'head.0.weight', 'head.0.bias']);
    expect(file.tensors.get('lstm.weight_ih_l0')!.dtype).toBe('F64'); // LSTM.random draws float64 values
    expect(JSON.parse(file.metadata.config)).toMatchObject({ peepholes: true, cell_clip: 1.5, head: { over: 'last' } });
    const back = modelFromSafetensors(modelToSafetensors(model));
    expect(back.config).toEqual(model.config);
  });
});

describe('hostile safetensors files', () => {
  const data = new Uint8Array(64);
  const tensor = (offsets: unknown, shape: unknown = [4], dtype = 'F32') => ({ dtype, shape, data_offsets: offsets });
  it.each([
    ['fewer than 8 bytes', Uint8Array.of(1, 2), /^INVALID_ARGUMENT: safetensors: expected at least 8 bytes/],
    ['a header length beyond the file', file({}, data, 1n << 40n), /^INVALID_ARGUMENT: safetensors: the header declares 1099511627776 bytes/],
    ['a header that is not JSON', file('{"weight_ih_l0": ', data), /^INVALID_ARGUMENT: safetensors: the header is not JSON/],
    ['a header that is a list', file([1, 2], data), /^INVALID_ARGUMENT: safetensors: the header must be a JSON object/],
    ['offsets past the data', file({ weight_ih_l0: tensor([0, 80], [20]) }, data), /data_offsets \[0, 80\] lie outside the 64 data bytes/],
    ['overlapping tensors', file({ weight_ih_l0: tensor([0, 16]), weight_hh_l0: tensor([8, 24]) }, data), /tensors "weight_ih_l0" and "weight_hh_l0" overlap/],
    ['a shape that disagrees with its bytes', file({ weight_ih_l0: tensor([0, 16], [5]) }, data), /^INVALID_SHAPE: .*shape \[5\] of F32 needs 20 bytes, data_offsets give 16/],
    ['an absurd shape', file({ weight_ih_l0: tensor([0, 16], [2 ** 40, 2 ** 40]) }, data), /^INVALID_SHAPE: /],
    ['an unsupported dtype', file({ weight_ih_l0: tensor([0, 16], [4], 'I64') }, data), /dtype "I64" is not supported; expected F64, F32, F16 or BF16/],
    ['negative offsets', file({ weight_ih_l0: tensor([-8, 8]) }, data), /data_offsets must be \[begin, end\]/],
    ['no LSTM weights', file({ other: tensor([0, 16]) }, data), /^INVALID_PARAMETER: safetensors: no LSTM weights/],
  ])('refuses %s', (_, bytes, message) => {
    expect(failure(bytes as Uint8Array)).toMatch(message as RegExp);
  });

  it('checks the budget before allocating the tensors', () => {
    const { bytes } = loadCase('lstm2_fc_f32', kDir, '.safetensors');
    expect(failure(bytes, 100)).toMatch(/^LIMIT_EXCEEDED: safetensors: the tensors this file declares take \d+ bytes .* more than maxBytes = 100/);
  });

  it('refuses NaN weights, naming the parameter', () => {
    const bytes = Uint8Array.from(loadCase('lstm1_head0_f32', kDir, '.safetensors').bytes);
    const view = new DataView(bytes.buffer);
    const n = Number(view.getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    view.setFloat32(8 + n + header['lstm.weight_hh_l0'].data_offsets[0] + 4, NaN, true);
    expect(failure(bytes)).toMatch(/^NON_FINITE: weight_hh_l0.*NaN/);
  });
});

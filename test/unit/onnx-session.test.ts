import { describe, expect, it } from 'vitest';
import { OnnxSession, kSupportedOps } from '../../src/api/onnx-graph/session.js';
import { LstmError } from '../../src/core/errors.js';
import { encodeModel } from '../../src/formats/onnx/proto.js';
import { kOnnxCases, loadCase, maxDifference } from '../support/onnx-cases.js';

// The graph executor (src/api/onnx-graph/) on the committed ONNX fixtures (torch.onnx.export and
// onnx.helper, test/fixtures/make_onnx_fixtures.py): expected outputs from PyTorch float64 and an
// independent NumPy float64 LSTM; the LSTM nodes run on the CPU reference, the rest on the host.

describe('OnnxSession on the ONNX fixtures (CPU reference)', () => {
  for (const name of kOnnxCases) {
    it(`${name}: every graph output matches`, async () => {
      const { bytes, expected } = loadCase(name);
      const session = await OnnxSession.create(bytes);
      const outputs = await session.run(expected.inputs);
      expect(Object.keys(outputs).sort()).toEqual(Object.keys(expected.outputs).sort());
      for (const [output, tensor] of Object.entries(outputs)) expect(maxDifference({ shape: tensor.dims, data: Array.from(tensor.data, Number) }, expected.outputs[output]), output).toBeLessThan(1e-9);
    });
  }
});

describe('OnnxSession refuses what it cannot run, naming the node', () => {
  it('an unknown feed name', async () => {
    const { bytes } = loadCase(kOnnxCases[0]);
    const session = await OnnxSession.create(bytes);
    await expect(session.run({ nope: { shape: [1], data: [0] } })).rejects.toThrow(/feeds\.nope: the graph has no such input/);
  });
  it('lists the supported ops', () => {
    for (const op of ['LSTM', 'Gather', 'Slice', 'Expand', 'MatMul', 'Softmax', 'LogSoftmax', 'LayerNormalization']) expect(kSupportedOps).toContain(op);
  });
  it('a budget smaller than the file is LIMIT_EXCEEDED', async () => {
    const { bytes } = loadCase(kOnnxCases[0]);
    const error = await OnnxSession.create(bytes, { maxBytes: 16 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LstmError);
  });
});

describe('float feeds are read in place, never handed back', () => {
  // x → Identity → y, x → Flatten → z: both outputs are x's values; they must not be the caller's array.
  const bytes = encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'passthrough',
      node: [
        { opType: 'Identity', input: ['x'], output: ['y'], name: 'id' },
        { opType: 'Flatten', input: ['x'], output: ['z'], name: 'flat' },
      ],
      input: [{ name: 'x', type: { tensorType: { elemType: 1 } } }],
      output: [
        { name: 'y', type: { tensorType: { elemType: 1 } } },
        { name: 'z', type: { tensorType: { elemType: 1 } } },
      ],
    },
  });

  it.each([Float64Array, Float32Array])('%o: the outputs are copies', async (Kind) => {
    const session = await OnnxSession.create(bytes);
    const data = Kind.from([1.5, -2, 3.25, 4]);
    const out = await session.run({ x: { dims: [2, 2], data } });
    data.fill(0);
    expect(Array.from(out.y.data as ArrayLike<number>)).toEqual([1.5, -2, 3.25, 4]);
    expect(Array.from(out.z.data as ArrayLike<number>)).toEqual([1.5, -2, 3.25, 4]);
    expect([...out.z.dims]).toEqual([2, 2]);
  });
});

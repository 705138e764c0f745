import { describe, expect, it } from 'vitest';
import { LstmError } from '../../src/core/errors.js';
import { modelFromOnnx } from '../../src/api/onnx-graph/reduce.js';
import { decodeModel, encodeModel, type ModelProto } from '../../src/formats/onnx/proto.js';
import { loadCase } from '../support/onnx-cases.js';

// Untrusted ONNX files: every malformed or hostile one gives a typed LstmError naming what is wrong,
// and sizes are checked before anything is allocated for them.

const good = loadCase('torch_lstm2_linear_seq').bytes;

function failure(bytes: Uint8Array, options = {}): string {
  try {
    modelFromOnnx(bytes, options);
  } catch (error) {
    if (error instanceof LstmError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

function edited(change: (m: ModelProto) => void): Uint8Array {
  const model = decodeModel(good);
  change(model);
  return encodeModel(model);
}

const initializer = (m: ModelProto, prefix: string) => m.graph!.initializer!.find((t) => t.name!.startsWith(prefix))!;

describe('hostile ONNX files', () => {
  it('reads the untouched file', () => {
    expect(failure(good)).toBe('no error');
  });

  it('refuses a truncated file', () => {
    expect(failure(good.subarray(0, good.length - 100))).toMatch(/^INVALID_ARGUMENT: onnx: not a readable ONNX protobuf .*truncated/);
  });

  it('refuses bytes that are not protobuf', () => {
    expect(failure(new TextEncoder().encode('{"config": {}} definitely not protobuf'))).toMatch(/^INVALID_ARGUMENT: onnx: /);
  });

  it('refuses an absurd declared length without reading past the end', () => {
    // field 7 (graph), wire type 2, length 2^40, then three bytes
    const bytes = Uint8Array.from([0x3a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 1, 2, 3]);
    expect(failure(bytes)).toMatch(/^INVALID_ARGUMENT: onnx: not a readable ONNX protobuf/);
  });

  it('refuses a file larger than the budget before decoding it', () => {
    expect(failure(good, { maxBytes: 1000 })).toMatch(/^LIMIT_EXCEEDED: onnx: the tensors read so far \(up to the file itself\)/);
  });

  it('refuses dims that do not match the data', () => {
    const bytes = edited((m) => (initializer(m, 'onnx::LSTM').dims = [1, 16, 4]));
    expect(failure(bytes)).toMatch(/^INVALID_SHAPE: initializer "onnx::LSTM_\d+": dims \[1, 16, 4\] declare 64 FLOAT values, the data holds 192 bytes/);
  });

  it('refuses absurd dims before allocating them', () => {
    const bytes = edited((m) => (initializer(m, 'onnx::LSTM').dims = [2 ** 30, 2 ** 30, 2 ** 10]));
    expect(failure(bytes)).toMatch(/^INVALID_SHAPE: initializer .*: dims \[1073741824, 1073741824, 1024\] declare more values than can exist/);
  });

  it('refuses a tensor whose declared size exceeds the budget', () => {
    expect(failure(good, { maxBytes: good.length + 500 })).toMatch(/^LIMIT_EXCEEDED: onnx: the tensors read so far \(up to initializer /);
  });

  it('refuses NaN weights, naming the parameter and position', () => {
    const bytes = edited((m) => {
      const t = initializer(m, 'onnx::LSTM');
      const raw = new Uint8Array(t.rawData!);
      new DataView(raw.buffer).setFloat32(0, NaN, true);
      t.rawData = raw;
    });
    expect(failure(bytes)).toMatch(/^NON_FINITE: weight_ih_l0.* NaN/);
  });

  it('refuses weights stored as external data', () => {
    const bytes = edited((m) => (initializer(m, 'onnx::LSTM').dataLocation = 1));
    expect(failure(bytes)).toMatch(/^INVALID_ARGUMENT: initializer .*: stored as external data/);
  });

  it('names an unsupported node the model depends on, with its type', () => {
    const bytes = edited((m) => (m.graph!.node!.find((n) => n.opType === 'Squeeze')!.opType = 'Abs'));
    expect(failure(bytes)).toMatch(/^INVALID_ARGUMENT: node "\/lstm\/LSTM_1" \(LSTM\): expected layer 0's output .* got the output of node "\/lstm\/Squeeze" \(Abs\), which this reader does not follow/);
  });

  it('refuses an unknown LSTM attribute', () => {
    const bytes = edited((m) => m.graph!.node!.find((n) => n.opType === 'LSTM')!.attribute!.push({ name: 'proj', type: 2, i: 3 }));
    expect(failure(bytes)).toMatch(/^INVALID_ARGUMENT: node "\/lstm\/LSTM" \(LSTM\): attribute "proj" is not supported; LSTM here takes direction, hidden_size/);
  });

  it('refuses a graph without an LSTM', () => {
    const bytes = edited((m) => m.graph!.node!.forEach((n) => n.opType === 'LSTM' && (n.opType = 'GRU')));
    // The graph is compiled first: a node outside the interpreter's ops is refused, naming it.
    expect(failure(bytes)).toMatch(/^INVALID_ARGUMENT: node "\/lstm\/LSTM" \(GRU\): op "GRU" of domain "ai.onnx" \(opset \d+\) is not supported/);
  });

  it('refuses a node reading a tensor nothing defines', () => {
    const bytes = edited((m) => (m.graph!.node!.find((n) => n.opType === 'LSTM')!.input![1] = 'nowhere'));
    expect(failure(bytes)).toMatch(/^INVALID_ARGUMENT: onnx: node "\/lstm\/LSTM" \(LSTM\) reads "nowhere", which no initializer, graph input or node defines/);
  });
});

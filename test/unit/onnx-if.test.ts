import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { OnnxSession } from '../../src/api/onnx-graph/session.js';

// ONNX's If (both branches compiled as subgraphs that read the outer scope): a graph choosing Y_h
// or Gather(Y, -1) of an LSTM with sequence_lens < T (test/fixtures/make_if_fixture.py), against
// onnxruntime-web on the same file and input; and int32/int64/bool typing of inputs and outputs.

const dir = join(import.meta.dirname, '../fixtures/onnx-if');
const bytes = readFileSync(join(dir, 'if_lstm.onnx'));
const { inputs } = JSON.parse(readFileSync(join(dir, 'if_lstm.json'), 'utf8')) as { inputs: Record<string, { shape: number[]; data: number[] }> };

describe('If', () => {
  for (const flag of [true, false]) {
    it(`cond ${flag}: the ${flag ? 'then' : 'else'} branch, as onnxruntime-web gives it`, async () => {
      const ortSession = await ort.InferenceSession.create(bytes);
      const theirs = (await ortSession.run({
        X: new ort.Tensor('float32', Float32Array.from(inputs.X.data), inputs.X.shape),
        lens: new ort.Tensor('int32', Int32Array.from(inputs.lens.data), inputs.lens.shape),
        use_state: new ort.Tensor('bool', Uint8Array.of(flag ? 1 : 0), []),
      })).out;
      await ortSession.release();
      const session = await OnnxSession.create(bytes);
      expect(session.inputTypes.get('use_state')).toBe('bool');
      expect(session.inputTypes.get('lens')).toBe('int32');
      // onnxruntime-web's own Tensors are feeds as they are.
      const ours = (await session.run({
        X: new ort.Tensor('float32', Float32Array.from(inputs.X.data), inputs.X.shape),
        lens: new ort.Tensor('int32', Int32Array.from(inputs.lens.data), inputs.lens.shape),
        use_state: { dims: [], data: [flag ? 1 : 0] },
      })).out;
      expect([...ours.dims]).toEqual([...theirs.dims]);
      const t = theirs.data as Float32Array;
      for (let k = 0; k < t.length; k++) expect(Math.abs(Number(ours.data[k]) - t[k]), `element ${k}`).toBeLessThan(1e-5 + 1e-5 * Math.abs(t[k]));
      // With lens [4, 2], Gather(Y, -1) is zero for the second sequence; Y_h is not.
      const second = Array.from(ours.data.slice(3, 6), Number);
      expect(second.every((v) => v === 0)).toBe(!flag);
    });
  }

  it('an integer feed that holds a fraction is refused, naming it', async () => {
    const session = await OnnxSession.create(bytes);
    await expect(session.run({ X: inputs.X, lens: { dims: [2], data: [4, 1.5] }, use_state: { dims: [], data: [1] } })).rejects.toThrow(/feeds\.lens\[1\]: expected an integer \(int32\)/);
  });

  it('int64 feeds take a BigInt64Array', async () => {
    const session = await OnnxSession.create(bytes);
    const out = await session.run({ X: inputs.X, lens: { dims: [2], data: BigInt64Array.of(4n, 2n) }, use_state: { dims: [], data: [1] } });
    expect(out.out.type).toBe('float32');
    expect(out.out.data).toBeInstanceOf(Float64Array);
  });
});

import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { encodeModel, kDataType } from '../../src/formats/onnx/proto.js';
import { writeTensor } from '../../src/formats/onnx/tensors.js';
import { OnnxSession } from '../../src/api/onnx-graph/session.js';

// Each host op against onnxruntime-web 1.30 (wasm, in Node) on seeded random shapes, broadcasts and
// negative axes: a one-node graph (float32 input x, constant initializers) run by both.

ort.env.wasm.numThreads = 1;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

interface OpCase {
  readonly name: string;
  readonly op: string;
  readonly x: number[];
  readonly consts?: { name: string; dims: number[]; data: number[]; type?: 'float32' | 'int64' }[];
  readonly attrs?: { name: string; type: number; i?: number; ints?: number[] }[];
}

function graphOf(c: OpCase): Uint8Array {
  const consts = c.consts ?? [];
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: c.name,
      node: [{ opType: c.op, name: c.op, input: ['x', ...consts.map((k) => k.name)], output: ['y'], attribute: c.attrs ?? [] }],
      initializer: consts.map((k) => writeTensor(k.name, k.dims, k.data, k.type ?? 'float32')),
      input: [{ name: 'x', type: { tensorType: { elemType: kDataType.FLOAT, shape: { dim: c.x.map((d) => ({ dimValue: d })) } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: kDataType.FLOAT } } }],
    },
  } as never);
}

const INT = 2;
const INTS = 7;
const cases: OpCase[] = [];
for (let seed = 1; seed <= 3; seed++) {
  const r = rng(seed);
  const d = () => 1 + Math.floor((r() + 1) * 2);
  const [a, b, c] = [d(), d(), d()];
  const rand = (n: number) => Array.from({ length: n }, r);
  cases.push(
    { name: `Add broadcast ${seed}`, op: 'Add', x: [a, b, c], consts: [{ name: 'k', dims: [b, 1], data: rand(b) }] },
    { name: `Mul broadcast ${seed}`, op: 'Mul', x: [a, 1, c], consts: [{ name: 'k', dims: [b, 1], data: rand(b) }] },
    { name: `Softmax axis -1 ${seed}`, op: 'Softmax', x: [a, b, c] },
    { name: `LogSoftmax axis -2 ${seed}`, op: 'LogSoftmax', x: [a, b, c], attrs: [{ name: 'axis', type: INT, i: -2 }] },
    { name: `Gather axis -1 index -1 ${seed}`, op: 'Gather', x: [a, b, c], consts: [{ name: 'i', dims: [], data: [-1], type: 'int64' }], attrs: [{ name: 'axis', type: INT, i: -1 }] },
    { name: `Slice negative ${seed}`, op: 'Slice', x: [a, b + 1, c], consts: [{ name: 's', dims: [1], data: [-1], type: 'int64' }, { name: 'e', dims: [1], data: [1e9], type: 'int64' }, { name: 'ax', dims: [1], data: [-2], type: 'int64' }] },
    { name: `Transpose ${seed}`, op: 'Transpose', x: [a, b, c], attrs: [{ name: 'perm', type: INTS, ints: [1, 2, 0] }] },
    { name: `ReduceMean axis -1 ${seed}`, op: 'ReduceMean', x: [a, b, c], attrs: [{ name: 'axes', type: INTS, ints: [-1] }] },
    { name: `MatMul batch broadcast ${seed}`, op: 'MatMul', x: [a, b, c], consts: [{ name: 'w', dims: [c, 2], data: rand(2 * c) }] },
    { name: `Unsqueeze -1 ${seed}`, op: 'Unsqueeze', x: [a, b], consts: [{ name: 'ax', dims: [1], data: [-1], type: 'int64' }] },
    { name: `Expand ${seed}`, op: 'Expand', x: [1, b, 1], consts: [{ name: 's', dims: [3], data: [a, 1, c], type: 'int64' }] },
    { name: `Elu ${seed}`, op: 'Elu', x: [a, b] },
  );
}

describe('host ops against onnxruntime-web', () => {
  for (const [k, c] of cases.entries()) {
    it(c.name, async () => {
      const bytes = graphOf(c);
      const n = c.x.reduce((p, q) => p * q, 1);
      const r = rng(100 + k);
      const x = Float32Array.from({ length: n }, () => 3 * r());
      const session = await ort.InferenceSession.create(bytes);
      const theirs = (await session.run({ x: new ort.Tensor('float32', x, c.x) })).y;
      await session.release();
      const ours = (await (await OnnxSession.create(bytes)).run({ x: { shape: c.x, data: x } })).y;
      expect(ours.shape).toEqual([...theirs.dims]);
      const t = theirs.data as Float32Array;
      for (let j = 0; j < t.length; j++) expect(Math.abs(Number(ours.data[j]) - t[j]), `element ${j}`).toBeLessThan(1e-5 + 1e-5 * Math.abs(t[j]));
    });
  }
});

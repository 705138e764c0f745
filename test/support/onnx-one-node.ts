import { expect } from 'vitest';
import * as ort from 'onnxruntime-web';
import { encodeModel, kAttributeType, type AttributeProto, type TensorProto } from '../../src/formats/onnx/proto.js';
import { OnnxSession, type OnnxFeed } from '../../src/api/onnx-graph/session.js';
import { SeededRandom } from '../../src/model/random.js';

// One ONNX node in a graph of its own, run by onnxruntime-web (wasm, in Node) and by OnnxSession on
// the same seeded inputs: the host interpreter's property tests (test/unit/onnx-host-ops-*.test.ts).
// onnxruntime-web is the judge of the output's dtype (it refuses a graph whose declared output type
// is not the one it infers), of its dims and of its values.

ort.env.wasm.numThreads = 1;

export type Dtype = 'float32' | 'int32' | 'int64' | 'bool';

const kElemType: Record<Dtype, number> = { float32: 1, int32: 6, int64: 7, bool: 9 };

/** One input of the node: a graph input fed at run time, or an initializer (constant, folded at load by OnnxSession). */
export interface Operand {
  readonly dims: readonly number[];
  readonly type: Dtype;
  readonly data: readonly number[];
  readonly init: boolean;
}

export interface NodeCase {
  readonly op: string;
  readonly opset: number;
  /** The node's inputs in order; null is an omitted optional input (''). */
  readonly inputs: readonly (Operand | null)[];
  readonly attrs?: readonly AttributeProto[];
  /** The output dtypes ONNX defines for these inputs (onnxruntime-web checks them). */
  readonly outputs: readonly Dtype[];
}

export const attr = {
  int: (name: string, i: number): AttributeProto => ({ name, type: kAttributeType.INT, i }),
  float: (name: string, f: number): AttributeProto => ({ name, type: kAttributeType.FLOAT, f }),
  ints: (name: string, ints: readonly number[]): AttributeProto => ({ name, type: kAttributeType.INTS, ints: [...ints] }),
  tensor: (name: string, t: Operand): AttributeProto => ({ name, type: kAttributeType.TENSOR, t: tensorProto(name, t) }),
};

function tensorProto(name: string, t: Operand): TensorProto {
  const n = t.data.length;
  const raw = new Uint8Array(n * { float32: 4, int32: 4, int64: 8, bool: 1 }[t.type]);
  const view = new DataView(raw.buffer);
  t.data.forEach((v, k) => {
    if (t.type === 'float32') view.setFloat32(4 * k, v, true);
    else if (t.type === 'int32') view.setInt32(4 * k, v, true);
    else if (t.type === 'int64') view.setBigInt64(8 * k, v >= 2 ** 63 ? 2n ** 63n - 1n : v <= -(2 ** 63) ? -(2n ** 63n) : BigInt(v), true); // ±2^63: INT64_MAX/MIN
    else view.setUint8(k, v);
  });
  return { name, dims: [...t.dims], dataType: kElemType[t.type], rawData: raw };
}

/** Seeded draws of shapes and values for one case. */
export class Draw {
  private readonly random: SeededRandom;
  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.random.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
  /** `rank` dims in [1, max]. */
  dims(rank: number, max = 4): number[] {
    return Array.from({ length: rank }, () => this.int(1, max));
  }
  /** A shape that broadcasts to `dims`: some leading axes dropped, some others set to 1. */
  broadcastOf(dims: readonly number[]): number[] {
    const keep = dims.slice(this.int(0, dims.length));
    return keep.map((d) => (this.random.next() < 0.4 ? 1 : d));
  }
  /** A float32 operand, values uniform in [lo, hi] (rounded to float32). */
  float(dims: readonly number[], init = false, lo = -3, hi = 3): Operand {
    return { dims, type: 'float32', init, data: Array.from({ length: size(dims) }, () => Math.fround(this.random.uniform(lo, hi))) };
  }
  /** An integer (or bool) operand, values in [lo, hi]. */
  ints(type: 'int32' | 'int64' | 'bool', dims: readonly number[], init = false, lo = -5, hi = 5): Operand {
    const [a, b] = type === 'bool' ? [0, 1] : [lo, hi];
    return { dims, type, init, data: Array.from({ length: size(dims) }, () => this.int(a, b)) };
  }
  /** A fixed 1-D int64 initializer (axes, shapes, starts...), as exporters write them. */
  static const(values: readonly number[], type: 'int64' | 'int32' = 'int64', dims: readonly number[] = [values.length]): Operand {
    return { dims, type, init: true, data: [...values] };
  }
}

export const size = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** The one-node model: inputs named i0, i1, ...; outputs o0, o1, ... */
export function oneNodeModel(c: NodeCase): Uint8Array {
  const names = c.inputs.map((t, k) => (t ? `i${k}` : ''));
  const present = c.inputs.flatMap((t, k) => (t ? [{ t, name: names[k] }] : []));
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: c.opset }],
    graph: {
      name: c.op,
      node: [{ opType: c.op, name: c.op, input: names, output: c.outputs.map((_, k) => `o${k}`), attribute: [...(c.attrs ?? [])] }],
      initializer: present.filter((p) => p.t.init).map((p) => tensorProto(p.name, p.t)),
      input: present.filter((p) => !p.t.init).map((p) => ({ name: p.name, type: { tensorType: { elemType: kElemType[p.t.type], shape: { dim: p.t.dims.map((d) => ({ dimValue: d })) } } } })),
      output: c.outputs.map((type, k) => ({ name: `o${k}`, type: { tensorType: { elemType: kElemType[type] } } })),
    },
  });
}

function ortTensor(t: Operand): ort.Tensor {
  const dims = [...t.dims];
  switch (t.type) {
    case 'float32':
      return new ort.Tensor('float32', Float32Array.from(t.data), dims);
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from(t.data), dims);
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(t.data, (v) => BigInt(v)), dims);
    default:
      return new ort.Tensor('bool', Uint8Array.from(t.data), dims);
  }
}

/** A short description of a case for failure messages: op, opset, input dims/types, attributes. */
export function describeCase(c: NodeCase): string {
  const ins = c.inputs.map((t) => (t ? `${t.type}[${t.dims.join(',')}]${t.init ? `=${JSON.stringify(t.data.length <= 8 ? t.data : t.data.slice(0, 8))}` : ''}` : '-'));
  const attrs = (c.attrs ?? []).map((a) => `${a.name}=${JSON.stringify(a.i ?? a.f ?? a.ints ?? '(tensor)')}`);
  return `${c.op} opset ${c.opset} (${ins.join(', ')}) {${attrs.join(', ')}}`;
}

/** Float tolerance: our float64 against ORT's float32 arithmetic. */
const kAbs = 1e-5;
const kRel = 2e-5;

/** Runs the case through onnxruntime-web and OnnxSession and expects the same outputs (dtype, dims, values; NaN matches NaN). */
export async function expectSameAsOrt(c: NodeCase): Promise<void> {
  const bytes = oneNodeModel(c);
  const what = describeCase(c);
  const feeds = Object.fromEntries(c.inputs.flatMap((t, k) => (t && !t.init ? [[`i${k}`, ortTensor(t)]] : [])));
  const session = await ort.InferenceSession.create(bytes);
  let theirs: ort.InferenceSession.OnnxValueMapType;
  try {
    theirs = await session.run(feeds);
  } finally {
    await session.release();
  }
  // onnxruntime-web's Tensors are feeds as they are (their string[] data type aside, unused here).
  const ours = await (await OnnxSession.create(bytes)).run(feeds as Record<string, OnnxFeed>);
  c.outputs.forEach((_, k) => {
    const t = theirs[`o${k}`] as ort.Tensor;
    const o = ours[`o${k}`];
    expect(o.type, `${what}: output ${k} dtype`).toBe(t.type);
    expect([...o.dims], `${what}: output ${k} dims`).toEqual([...t.dims]);
    const expected = Array.from(t.data as ArrayLike<number | bigint>, Number);
    const actual = Array.from(o.data as ArrayLike<number | bigint>, Number);
    for (let j = 0; j < expected.length; j++) {
      const [a, e] = [actual[j], expected[j]];
      const same = Number.isNaN(e) ? Number.isNaN(a) : t.type === 'float32' && Number.isFinite(e) ? Math.abs(a - e) <= kAbs + kRel * Math.abs(e) : a === e;
      if (!same) expect(a, `${what}: output ${k} element ${j} (ORT ${e})`).toBe(e);
    }
  });
}

/** One row of a family's table: a name and how to draw a case of it from a seed. */
export interface CaseRow {
  readonly name: string;
  readonly make: (d: Draw) => NodeCase;
}

/** Seeded cases per row: each row runs on this many draws. */
export const kSeedsPerRow = 5;

/** The cases of a table, `kSeedsPerRow` seeded draws per row, each drawn from its own seed (replayable). */
export function drawCases(rows: readonly CaseRow[], seed: number): { name: string; c: NodeCase }[] {
  return rows.flatMap((row, r) => Array.from({ length: kSeedsPerRow }, (_, s) => {
    const c = row.make(new Draw(seed + 1000 * r + s));
    return { name: `${row.name} #${s}: ${describeCase(c)}`, c };
  }));
}

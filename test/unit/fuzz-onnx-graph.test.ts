import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LstmError } from '../../src/core/errors.js';
import { OnnxSession, type OnnxFeed } from '../../src/api/onnx-graph/session.js';
import { decodeModel, encodeModel, kAttributeType, type AttributeProto, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from '../../src/formats/onnx/proto.js';
import { writeTensor } from '../../src/formats/onnx/tensors.js';
import { kSupportedOps } from '../../src/api/onnx-graph/host-ops.js';
import { SeededRandom } from '../../src/model/random.js';
import { Draw, oneNodeModel } from '../support/onnx-one-node.js';
import { testSeed } from '../support/seed.js';

// OnnxSession (load and run) against seeded structural mutants of valid graphs: where
// fuzz-readers.test.ts flips bytes of a file, this edits the decoded graph as a hostile file would
// (dims, data sizes and types, int64 shape values, op types, attribute values, node inputs that
// name nothing or close a cycle, duplicated or dropped nodes, the opset) and re-encodes it. Every
// mutant must end in a result or an LstmError with a code, within a time limit, and no single
// float64 allocation may exceed the byte budget (watched by wrapping the Float64Array constructor).
// Replay a failure with the seed the test prints.

const seed = testSeed('fuzz-onnx-graph.test.ts');
const kMutantsPerGraph = 200;
const kMaxMillisPerMutant = 1_000;
/** Small enough that an unchecked Expand/Tile/Range/ConstantOfShape of a hostile shape passes it at once. */
const kMaxBytes = 1 << 20;

const fixtures = join(import.meta.dirname, '../fixtures');
const read = (path: string) => new Uint8Array(readFileSync(join(fixtures, path)));

/** A graph of the host glue that allocates from shapes in the file: Shape, Range, ConstantOfShape, Tile, Expand, Slice to INT64_MAX. */
function hostGlue(): Uint8Array {
  const i64 = (name: string, v: number[], dims = [v.length]) => writeTensor(name, dims, v, 'int64');
  const node = (opType: string, input: string[], output: string[], attribute: AttributeProto[] = []): NodeProto => ({ opType, name: output[0], input, output, attribute });
  const int = (name: string, i: number): AttributeProto => ({ name, type: kAttributeType.INT, i });
  const model: ModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'host_glue',
      node: [
        node('Shape', ['x'], ['s']),
        node('Gather', ['s', 'one'], ['b'], [int('axis', 0)]),
        node('Range', ['zero', 'b', 'one'], ['r']),
        node('Unsqueeze', ['b', 'axes0'], ['bu']),
        node('Concat', ['two', 'bu', 'four'], ['shp'], [int('axis', 0)]),
        node('ConstantOfShape', ['shp'], ['z'], [{ name: 'value', type: kAttributeType.TENSOR, t: writeTensor('v', [1], [0.5]) }]),
        node('Tile', ['z', 'reps'], ['t']),
        node('Softmax', ['t'], ['sm'], [int('axis', -1)]),
        node('ReduceSum', ['sm', 'axesLast'], ['red'], [int('keepdims', 0)]),
        node('Cast', ['r'], ['rf'], [int('to', 1)]),
        node('Add', ['red', 'rf'], ['out1']),
        node('MatMul', ['x', 'w'], ['y']),
        node('Slice', ['y', 'minusOne', 'end', 'axes0'], ['last']),
        node('Expand', ['unit', 'shp'], ['e']),
        node('Mul', ['last', 'e'], ['out2']),
      ],
      initializer: [i64('zero', [0], []), i64('one', [1], []), i64('axes0', [0]), i64('axesLast', [-1]), i64('two', [2]), i64('four', [4]), i64('reps', [1, 1, 2]), i64('minusOne', [-1]), { name: 'end', dims: [1], dataType: 7, rawData: new Uint8Array(BigInt64Array.of(2n ** 63n - 1n).buffer) }, writeTensor('w', [3, 4], Array.from({ length: 12 }, (_, k) => k / 10)), writeTensor('unit', [1, 1, 1], [1])],
      input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 5 }, { dimValue: 2 }, { dimValue: 3 }] } } } }],
      output: [{ name: 'out1', type: { tensorType: { elemType: 1 } } }, { name: 'out2', type: { tensorType: { elemType: 1 } } }],
    },
  };
  return encodeModel(model);
}

const kCorpora: readonly { name: string; bytes: () => Uint8Array }[] = [
  { name: 'host glue (Shape/Range/ConstantOfShape/Tile/Expand/Slice)', bytes: hostGlue },
  { name: 'torch_lstm1_gemm_relu_last (Shape/Gather/Expand zero states)', bytes: () => read('onnx/torch_lstm1_gemm_relu_last.onnx') },
  { name: 'torch_bi1_last_sigmoid', bytes: () => read('onnx/torch_bi1_last_sigmoid.onnx') },
  { name: 'torch_lstm2_linear_seq (Slice/Squeeze/Concat, 2 LSTMs)', bytes: () => read('onnx/torch_lstm2_linear_seq.onnx') },
  { name: 'torch_bi2_batch_first_linear_seq', bytes: () => read('onnx/torch_bi2_batch_first_linear_seq.onnx') },
  { name: 'node_everything (one LSTM, every input)', bytes: () => read('onnx/node_everything.onnx') },
  { name: 'if_lstm (If with subgraphs)', bytes: () => read('onnx-if/if_lstm.onnx') },
];

/** Hostile integers: off by one, zero, negative, past int32, past 2^53, INT64_MAX. */
const kHostileInts = [-1, 0, 1, 2, 3, -7, 2 ** 31, 2 ** 31 - 1, 2 ** 40, 2 ** 62, 2 ** 63, -(2 ** 63), 1e6];
const kHostileFloats = [NaN, Infinity, -Infinity, 0, -1, 1e30, 1e-30];

function nodesOf(g: GraphProto): NodeProto[] {
  return (g.node ?? []).flatMap((n) => [n, ...(n.attribute ?? []).flatMap((a) => (a.g ? nodesOf(a.g) : []))]);
}
function tensorsOf(g: GraphProto): TensorProto[] {
  return [...(g.initializer ?? []), ...(g.node ?? []).flatMap((n) => (n.attribute ?? []).flatMap((a) => [...(a.t ? [a.t] : []), ...(a.g ? tensorsOf(a.g) : [])]))];
}

/** One seeded edit of the decoded model, in place; says what it did. */
function mutate(m: ModelProto, random: SeededRandom): string {
  const at = (n: number) => Math.floor(random.next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[at(xs.length)];
  const graph = m.graph!;
  const nodes = nodesOf(graph);
  const tensors = tensorsOf(graph);
  if (nodes.length === 0 || tensors.length === 0) return 'nothing left to change';
  const node = pick(nodes);
  const tensor = pick(tensors);
  const values = nodes.flatMap((n) => n.output ?? []);
  switch (at(12)) {
    case 0: {
      const dims = (tensor.dims ?? []).map(Number);
      const k = at(dims.length + 1);
      const v = pick(kHostileInts);
      if (k === dims.length) dims.push(v);
      else dims[k] = v;
      tensor.dims = dims;
      return `tensor ${tensor.name} dims -> ${JSON.stringify(dims)}`;
    }
    case 1: {
      const raw = tensor.rawData ?? new Uint8Array();
      tensor.rawData = random.next() < 0.5 ? raw.subarray(0, at(raw.length + 1)) : Uint8Array.from([...raw, ...Array.from({ length: 1 + at(16) }, () => at(256))]);
      return `tensor ${tensor.name} raw data -> ${tensor.rawData.length} bytes`;
    }
    case 2:
      tensor.dataType = at(17);
      return `tensor ${tensor.name} data type -> ${tensor.dataType}`;
    case 3: {
      // A value inside: int64 shapes, axes and indices (mostly) get hostile integers; floats NaN, Inf, huge.
      const int64s = tensors.filter((t) => t.dataType === 7);
      const tensor = int64s.length > 0 && random.next() < 0.7 ? pick(int64s) : pick(tensors);
      const raw = tensor.rawData;
      const width = tensor.dataType === 7 || tensor.dataType === 11 ? 8 : 4;
      if (!raw || raw.length < width) return 'no raw value to change';
      const copy = Uint8Array.from(raw); // its own buffer: decoded bytes may be a Buffer view of the whole file
      const view = new DataView(copy.buffer);
      const k = at(Math.floor(copy.length / width));
      let v: number;
      if (tensor.dataType === 7) view.setBigInt64(8 * k, BigInt.asIntN(64, BigInt(Math.min((v = pick(kHostileInts)), 2 ** 63 - 1024))), true);
      else if (tensor.dataType === 6) view.setInt32(4 * k, (v = pick(kHostileInts)) | 0, true);
      else view.setFloat32(4 * k, (v = pick(kHostileFloats)), true);
      tensor.rawData = copy;
      return `tensor ${tensor.name}[${k}] -> ${v}`;
    }
    case 4:
      node.opType = random.next() < 0.85 ? pick(kSupportedOps) : 'NoSuchOp';
      return `node ${node.name} op -> ${node.opType}`;
    case 5: {
      const a = pick(node.attribute ?? []);
      if (!a) return 'no attribute to change';
      if (a.type === kAttributeType.INT) a.i = pick(kHostileInts);
      else if (a.type === kAttributeType.INTS) a.ints = (a.ints ?? [0]).map((v) => (random.next() < 0.5 ? pick(kHostileInts) : v));
      else if (a.type === kAttributeType.FLOAT) a.f = pick(kHostileFloats);
      else a.type = at(12);
      return `node ${node.name} attribute ${a.name} -> ${JSON.stringify(a.i ?? a.ints ?? a.f ?? `type ${a.type}`)}`;
    }
    case 6: {
      const name = pick(['axis', 'axes', 'perm', 'keepdims', 'to', 'split', 'hidden_size', 'direction', 'layout', 'start', 'allowzero', 'num_outputs']);
      (node.attribute ??= []).push({ name, type: pick([kAttributeType.INT, kAttributeType.INTS, kAttributeType.FLOAT]), i: pick(kHostileInts), ints: [pick(kHostileInts), pick(kHostileInts)], f: pick(kHostileFloats) });
      return `node ${node.name} adds attribute ${name}`;
    }
    case 7: {
      const k = at((node.input?.length ?? 0) + 1);
      // A missing name, nothing (''), its own output (a cycle), or any node's output (maybe a later one: a cycle).
      const to = pick(['nowhere', '', node.output?.[0] ?? 'self', pick(values)]);
      (node.input ??= [])[k] = to;
      return `node ${node.name} input ${k} -> ${JSON.stringify(to)}`;
    }
    case 8: {
      const owner = random.next() < 0.8 ? graph : (nodes.flatMap((n) => (n.attribute ?? []).flatMap((a) => (a.g ? [a.g] : [])))[0] ?? graph);
      const list = owner.node ?? [];
      const k = at(list.length);
      if (random.next() < 0.5) list.splice(k, 1);
      else list.splice(at(list.length + 1), 0, structuredClone(list[k]));
      return `graph ${owner.name}: node ${k} dropped or duplicated`;
    }
    case 9:
      m.opsetImport = [{ domain: '', version: pick([1, 6, 7, 9, 10, 11, 12, 13, 17, 18, 21, 1000]) }];
      return `opset -> ${m.opsetImport[0].version}`;
    case 10: {
      const o = pick(graph.output ?? []);
      if (o) o.name = pick(['nowhere', ...values, ...(graph.input ?? []).map((i) => i.name ?? '')]);
      return `graph output -> ${o?.name}`;
    }
    default: {
      const i = pick(graph.input ?? []);
      const dims = i?.type?.tensorType?.shape?.dim;
      if (!dims || dims.length === 0) return 'no input dims to change';
      if (random.next() < 0.3) dims.pop();
      else dims[at(dims.length)] = { dimValue: pick([0, 1, 2, 7]) };
      if (random.next() < 0.3) i.type!.tensorType!.elemType = pick([1, 6, 7, 9, 11]);
      return `graph input ${i.name} -> ${JSON.stringify(dims.map((d) => d.dimValue))}, type ${i.type!.tensorType!.elemType}`;
    }
  }
}

/** Feeds for a session from the model's declared inputs: dims as declared (unknown: 2), small values (lengths and indices stay in range). */
function feedsFor(session: OnnxSession, m: ModelProto, random: SeededRandom): Record<string, OnnxFeed> {
  return Object.fromEntries(session.inputNames.map((name) => {
    const info = (m.graph!.input ?? []).find((i) => i.name === name);
    const dims = (info?.type?.tensorType?.shape?.dim ?? []).map((d) => Math.min(8, Number(d.dimValue ?? 2)));
    const n = dims.reduce((a, b) => a * b, 1);
    const integer = session.inputTypes.get(name) !== 'float32' && session.inputTypes.get(name) !== 'float64';
    return [name, { dims, data: Array.from({ length: n }, () => (integer ? Math.floor(random.next() * 2) : random.uniform(-2, 2))) }];
  }));
}

describe('seeded fuzzing of ONNX graphs through OnnxSession', () => {
  let largest = 0;
  const real = globalThis.Float64Array;
  beforeEach(() => {
    largest = 0;
    // Every host tensor and every LSTM buffer is a Float64Array: record the largest one made.
    globalThis.Float64Array = new Proxy(real, {
      construct(target, args: unknown[]) {
        if (typeof args[0] === 'number') largest = Math.max(largest, args[0] * 8);
        else if (args[0] && typeof (args[0] as ArrayLike<number>).length === 'number') largest = Math.max(largest, (args[0] as ArrayLike<number>).length * 8);
        return Reflect.construct(target, args) as Float64Array;
      },
    });
  });
  afterEach(() => {
    globalThis.Float64Array = real;
  });

  it('host glue: every shape value set past the budget is refused before it is allocated', async () => {
    const shapeValues = ['two', 'four', 'reps', 'one'];
    for (const name of shapeValues) for (const v of [2 ** 17, 2 ** 20, 2 ** 40, 2 ** 62, -2]) {
      const model = decodeModel(hostGlue());
      const t = model.graph!.initializer!.find((q) => q.name === name)!;
      const raw = Uint8Array.from(t.rawData!); // a copy with its own buffer (decoded bytes may be a Buffer view of the file)
      new DataView(raw.buffer).setBigInt64(raw.length - 8, BigInt(v), true);
      t.rawData = raw;
      largest = 0;
      let outcome = 'ran';
      try {
        const session = await OnnxSession.create(encodeModel(model), { maxBytes: kMaxBytes });
        await session.run({ x: { dims: [5, 2, 3], data: new Array(30).fill(0.5) } });
      } catch (e) {
        outcome = e instanceof LstmError ? e.code : `untyped ${String(e)}`;
      }
      expect(largest, `${name} = ${v}`).toBeLessThanOrEqual(kMaxBytes);
      expect(outcome, `${name} = ${v}`).toMatch(/^(ran|LIMIT_EXCEEDED|INVALID_ARGUMENT|INVALID_SHAPE)$/);
      if ((v === 2 ** 20 || v === 2 ** 40) && name !== 'one') expect(outcome, `${name} = ${v}`).toBe('LIMIT_EXCEEDED');
    }
  });

  it.each(kCorpora.map((c, index) => ({ ...c, index })))('$name: every mutant ends in a result or a typed error, quickly, within the budget', async (corpus) => {
    const random = new SeededRandom(seed + corpus.index);
    const original = corpus.bytes();
    const untouched = decodeModel(original);
    const plain = await OnnxSession.create(original, { maxBytes: kMaxBytes });
    await plain.run(feedsFor(plain, untouched, random)); // the graph itself loads and runs
    const outcomes = new Map<string, number>();
    const start = performance.now();
    let slowest = 0;
    let largestSeen = largest;
    for (let n = 0; n < kMutantsPerGraph; n++) {
      const model = decodeModel(original);
      const hows = Array.from({ length: 1 + Math.floor(random.next() * 3) }, () => mutate(model, random));
      const what = () => `${corpus.name}, mutant ${n} (${hows.join('; ')}; seed ${seed})`;
      largest = 0;
      const t0 = performance.now();
      let outcome: string;
      try {
        const bytes = encodeModel(model);
        // Now and then the bytes too: protobuf lengths and offsets that point past their message.
        if (random.next() < 0.15) {
          const k = Math.floor(random.next() * bytes.length);
          bytes[k] ^= 1 << Math.floor(random.next() * 8);
          hows.push(`byte ${k} flipped`);
        }
        const session = await OnnxSession.create(bytes, { maxBytes: kMaxBytes });
        outcome = 'loaded';
        await session.run(feedsFor(session, model, random));
        outcome = 'ran';
      } catch (error) {
        if (!(error instanceof LstmError)) throw new Error(`${what()}: untyped ${String(error).slice(0, 400)}`, { cause: error });
        expect(error.message.includes('\n'), `${what()}: one line: ${JSON.stringify(error.message.slice(0, 300))}`).toBe(false);
        outcome = error.code;
      }
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      expect(ms, `${what()} took ${ms.toFixed(0)} ms`).toBeLessThan(kMaxMillisPerMutant);
      expect(largest, `${what()}: a ${largest}-byte Float64Array`).toBeLessThanOrEqual(kMaxBytes);
      largestSeen = Math.max(largestSeen, largest);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect(largestSeen, 'the Float64Array watch saw the graph run').toBeGreaterThan(0);
    console.log(`${corpus.name}: ${kMutantsPerGraph} mutants in ${((performance.now() - start) / 1000).toFixed(2)} s (slowest ${slowest.toFixed(0)} ms, largest Float64Array ${largestSeen} bytes): ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  });
});

describe('what the graph fuzzing found, one case each', () => {
  const failure = async (bytes: Uint8Array, feeds?: Record<string, OnnxFeed>, maxBytes?: number) => {
    try {
      const session = await OnnxSession.create(bytes, maxBytes === undefined ? {} : { maxBytes });
      if (feeds) await session.run(feeds);
    } catch (error) {
      if (error instanceof LstmError) return `${error.code}: ${error.message}`;
      throw error;
    }
    return 'no error';
  };
  const everything = () => decodeModel(read('onnx/node_everything.onnx'));
  const everythingFeeds = { X: { dims: [3, 4, 2], data: new Array(24).fill(0.1) }, sequence_lens: { dims: [3], data: [4, 2, 0] }, initial_h: { dims: [3, 2, 3], data: new Array(18).fill(0) }, initial_c: { dims: [3, 2, 3], data: new Array(18).fill(0) } };

  it('a graph output named by a node whose op gives fewer outputs is INVALID_ARGUMENT, not a TypeError', async () => {
    const m = everything();
    const lstm = m.graph!.node!.find((n) => n.opType === 'LSTM')!;
    lstm.opType = 'Relu';
    lstm.attribute = [];
    expect(await failure(encodeModel(m), everythingFeeds)).toMatch(/^INVALID_ARGUMENT: onnx: graph output "\w+" got no value/);
  });

  it('Concat and Max without inputs are INVALID_ARGUMENT naming the node', async () => {
    for (const op of ['Concat', 'Max']) {
      const m = everything();
      m.graph!.node!.unshift({ opType: op, name: 'empty', input: [], output: ['nothing'], attribute: [{ name: 'axis', type: kAttributeType.INT, i: 0 }] });
      m.graph!.output!.push({ name: 'nothing' });
      expect(await failure(encodeModel(m))).toMatch(new RegExp(`^INVALID_ARGUMENT: node "empty" \\(${op}\\): needs at least one input`));
    }
  });

  it('an LSTM activations attribute of the wrong type is INVALID_ARGUMENT', async () => {
    const m = everything();
    const a = m.graph!.node!.find((n) => n.opType === 'LSTM')!.attribute!.find((q) => q.name === 'activations')!;
    a.type = kAttributeType.TENSOR;
    expect(await failure(encodeModel(m))).toMatch(/^INVALID_ARGUMENT: .*\.activations: expected a list of strings/);
  });

  it('a STRING attribute without bytes reads as empty text (protobufjs leaves it a plain [])', async () => {
    const m = everything();
    const a = m.graph!.node!.find((n) => n.opType === 'LSTM')!.attribute!.find((q) => q.name === 'direction')!;
    a.s = undefined;
    expect(await failure(encodeModel(m))).toMatch(/^INVALID_ARGUMENT: .*\.direction: expected forward, reverse or bidirectional, got ""/);
  });

  it('an op type that is not a name (a flipped byte) is quoted, so the error stays one line', async () => {
    const m = everything();
    m.graph!.node![0].opType = 'LS\nTM';
    expect(await failure(encodeModel(m))).toMatch(/^INVALID_ARGUMENT: node "[^"]*" \("LS\\nTM"\): op "LS\\nTM" of domain "ai.onnx" \(opset \d+\) is not supported/);
  });

  it('a Constant whose value attribute holds no tensor is INVALID_ARGUMENT, not a TypeError', async () => {
    const m = decodeModel(read('onnx/torch_lstm2_linear_seq.onnx'));
    m.graph!.node!.find((n) => n.opType === 'Constant')!.attribute![0].t = undefined;
    expect(await failure(encodeModel(m))).toMatch(/^INVALID_ARGUMENT: node ".*" \(Constant\)\.value: expected a tensor, got null/);
  });

  it('without a budget, an output past what JS can allocate is LIMIT_EXCEEDED, not a RangeError', async () => {
    const bytes = oneNodeModel({ op: 'Expand', opset: 13, inputs: [{ dims: [1], type: 'float32', init: false, data: [1] }, Draw.const([2 ** 20, 2 ** 20, 2 ** 10])], outputs: ['float32'] });
    expect(await failure(bytes, { i0: { dims: [1], data: [1] } })).toMatch(/^LIMIT_EXCEEDED: node "Expand" \(Expand\): its output \[1048576, 1048576, 1024\] .* cannot be allocated/);
  });
});

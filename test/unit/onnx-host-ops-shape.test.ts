import { describe, expect, it } from 'vitest';
import { OnnxSession } from '../../src/api/onnx-graph/session.js';
import { attr, Draw, drawCases, expectSameAsOrt, oneNodeModel, type CaseRow, type Dtype, type NodeCase, type Operand } from '../support/onnx-one-node.js';
import { testSeed } from '../support/seed.js';

// The shape and indexing host ops (ops-shape.ts, Constant) against onnxruntime-web on seeded random
// shapes: negative axes and indices, out-of-range Slice bounds and negative steps, axes/split as
// attributes (opset <= 12) and as inputs (13+), int32 and int64 indices and shapes.

const seed = testSeed('onnx-host-ops-shape.test.ts');
const C = Draw.const;
/** INT64_MAX / INT64_MIN as the helper writes ±2^63 (exporters' "to the end"), and a large value that is neither. */
const kEnds = [2 ** 63, -(2 ** 63), 2 ** 31 - 1, 2 ** 62];

/** A data operand of a random dtype (float32 mostly, int64 sometimes: shape arithmetic). */
function data(d: Draw, dims: readonly number[], init = false): Operand {
  return d.int(0, 3) === 0 ? d.ints('int64', dims, init) : d.float(dims, init);
}
const out = (x: Operand): Dtype[] => [x.type];
/** A random axis of a rank-r tensor, negative half of the time. */
const axisOf = (d: Draw, r: number) => d.int(0, r - 1) - (d.int(0, 1) ? r : 0);
/** k distinct axes of a rank-r tensor, some negative. */
function axesOf(d: Draw, r: number, k: number): number[] {
  const all = Array.from({ length: r }, (_, i) => i);
  const picked: number[] = [];
  for (let i = 0; i < k; i++) picked.push(all.splice(d.int(0, all.length - 1), 1)[0]);
  return picked.map((a) => (d.int(0, 1) ? a - r : a));
}
function shuffled(d: Draw, n: number): number[] {
  return axesOf(d, n, n).map((a) => (a < 0 ? a + n : a));
}

/** Slice bounds on `k` random axes: starts/ends anywhere in and around [-d, d], steps ±1/±2 (opset 10+). */
function sliceBounds(d: Draw, dims: number[], steps: boolean) {
  const axes = axesOf(d, dims.length, d.int(1, dims.length));
  const bound = (n: number) => (d.int(0, 2) ? d.int(-n - 2, n + 2) : d.pick(kEnds));
  return {
    axes,
    starts: axes.map((a) => bound(dims[a < 0 ? a + dims.length : a])),
    ends: axes.map((a) => bound(dims[a < 0 ? a + dims.length : a])),
    steps: axes.map(() => (steps ? d.pick([1, 2, -1, -2, 3]) : 1)),
  };
}

const rows: CaseRow[] = [
  { name: 'Shape', make: (d) => ({ op: 'Shape', opset: 13, inputs: [data(d, d.dims(d.int(0, 4)))], outputs: ['int64'] }) },
  { name: 'Shape start/end, negative (opset 15)', make: (d) => ({ op: 'Shape', opset: 15, inputs: [d.float(d.dims(4))], attrs: [attr.int('start', d.int(-5, 2)), attr.int('end', d.int(-3, 5))], outputs: ['int64'] }) },
  { name: 'Size', make: (d) => ({ op: 'Size', opset: 13, inputs: [data(d, d.dims(d.int(0, 4)))], outputs: ['int64'] }) },
  { name: 'Reshape with 0 and -1', make: (d) => {
    const [a, b, c] = d.dims(3);
    const target = d.pick([[0, -1], [-1], [a * b, c], [0, 0, -1, 1], [-1, a * c], [0, b * c]]);
    const x = data(d, [a, b, c]);
    return { op: 'Reshape', opset: d.pick([5, 13, 14]), inputs: [x, C(target)], outputs: out(x) };
  } },
  { name: 'Reshape allowzero (opset 14)', make: (d) => {
    const [a, b] = d.dims(2);
    return { op: 'Reshape', opset: 14, inputs: [d.float([a, 0, b]), C([b, 0, a])], attrs: [attr.int('allowzero', 1)], outputs: ['float32'] };
  } },
  { name: 'Flatten, negative axis (opset 13)', make: (d) => {
    const r = d.int(1, 4);
    const x = data(d, d.dims(r));
    return { op: 'Flatten', opset: 13, inputs: [x], attrs: [attr.int('axis', d.int(-r, r))], outputs: out(x) };
  } },
  { name: 'Flatten default axis (opset 9)', make: (d) => ({ op: 'Flatten', opset: 9, inputs: [d.float(d.dims(3))], outputs: ['float32'] }) },
  ...[11, 13].flatMap((opset) => [
    { name: `Squeeze axes ${opset < 13 ? 'attribute' : 'input'} (opset ${opset})`, make: (d: Draw): NodeCase => {
      const dims = d.dims(4).map((v) => (d.int(0, 1) ? 1 : v));
      dims[d.int(0, 3)] = 1;
      const ones = dims.flatMap((v, k) => (v === 1 ? [d.int(0, 1) ? k - 4 : k] : []));
      const axes = ones.slice(0, d.int(1, ones.length));
      const x = data(d, dims);
      return opset < 13 ? { op: 'Squeeze', opset, inputs: [x], attrs: [attr.ints('axes', axes)], outputs: out(x) } : { op: 'Squeeze', opset, inputs: [x, C(axes)], outputs: out(x) };
    } },
    { name: `Squeeze without axes (opset ${opset})`, make: (d: Draw): NodeCase => ({ op: 'Squeeze', opset, inputs: [d.float(d.dims(4, 2))], outputs: ['float32'] }) },
    { name: `Unsqueeze axes ${opset < 13 ? 'attribute' : 'input'} (opset ${opset})`, make: (d: Draw): NodeCase => {
      const r = d.int(0, 3);
      const k = d.int(1, 2);
      const axes = axesOf(d, r + k, k);
      const x = data(d, d.dims(r));
      return opset < 13 ? { op: 'Unsqueeze', opset, inputs: [x], attrs: [attr.ints('axes', axes)], outputs: out(x) } : { op: 'Unsqueeze', opset, inputs: [x, C(axes)], outputs: out(x) };
    } },
  ]),
  { name: 'Transpose perm', make: (d) => {
    const r = d.int(1, 5);
    const x = data(d, d.dims(r, 3));
    return { op: 'Transpose', opset: 13, inputs: [x], attrs: [attr.ints('perm', shuffled(d, r))], outputs: out(x) };
  } },
  { name: 'Transpose default (reversed)', make: (d) => ({ op: 'Transpose', opset: 13, inputs: [d.float(d.dims(d.int(1, 4)))], outputs: ['float32'] }) },
  { name: 'Slice attributes (opset 9)', make: (d) => {
    const x = data(d, d.dims(d.int(1, 4), 5));
    const b = sliceBounds(d, [...x.dims], false);
    return { op: 'Slice', opset: 9, inputs: [x], attrs: [attr.ints('starts', b.starts), attr.ints('ends', b.ends), attr.ints('axes', b.axes)], outputs: out(x) };
  } },
  ...[10, 13].map((opset) => ({ name: `Slice inputs with steps (opset ${opset})`, make: (d: Draw): NodeCase => {
    const x = data(d, d.dims(d.int(1, 4), 5));
    const b = sliceBounds(d, [...x.dims], true);
    const t = d.pick(['int64', 'int32'] as const);
    const fit = (v: number[]) => (t === 'int32' ? v.map((q) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, q))) : v);
    return { op: 'Slice', opset, inputs: [x, C(fit(b.starts), t), C(fit(b.ends), t), C(b.axes, t), C(b.steps, t)], outputs: out(x) };
  } })),
  { name: 'Slice without axes and steps (opset 13)', make: (d) => {
    const x = d.float(d.dims(d.int(1, 3), 5));
    const b = sliceBounds(d, [...x.dims], false);
    const starts = x.dims.map((_, k) => b.starts[k] ?? 0);
    return { op: 'Slice', opset: 13, inputs: [x, C(starts), C(x.dims.map((n) => d.int(-n, n)))], outputs: ['float32'] };
  } },
  ...(['int64', 'int32'] as const).map((t) => ({ name: `Gather ${t} indices, negative, any rank`, make: (d: Draw): NodeCase => {
    const x = data(d, d.dims(d.int(1, 3)));
    const r = x.dims.length;
    const axis = axisOf(d, r);
    const n = x.dims[axis < 0 ? axis + r : axis];
    const idx = d.ints(t, d.dims(d.int(0, 2), 3), d.int(0, 1) === 1, -n, n - 1);
    return { op: 'Gather', opset: 13, inputs: [x, idx], attrs: [attr.int('axis', axis)], outputs: out(x) };
  } })),
  ...(['int64', 'int32'] as const).map((t) => ({ name: `GatherElements ${t} indices, negative axis`, make: (d: Draw): NodeCase => {
    const x = data(d, d.dims(d.int(1, 3)));
    const r = x.dims.length;
    const axis = axisOf(d, r);
    const a = axis < 0 ? axis + r : axis;
    const idxDims = x.dims.map((v, k) => (k === a ? d.int(1, 4) : d.int(1, v)));
    const idx = d.ints(t, idxDims, false, -x.dims[a], x.dims[a] - 1);
    return { op: 'GatherElements', opset: 13, inputs: [x, idx], attrs: [attr.int('axis', axis)], outputs: out(x) };
  } })),
  { name: 'Concat, negative axis', make: (d) => {
    const dims = d.dims(d.int(1, 4));
    const axis = axisOf(d, dims.length);
    const a = axis < 0 ? axis + dims.length : axis;
    const type = d.pick(['float32', 'int64'] as const);
    const part = (init: boolean) => {
      const p = dims.map((v, k) => (k === a ? d.int(0, 3) : v));
      return type === 'float32' ? d.float(p, init) : d.ints('int64', p, init);
    };
    return { op: 'Concat', opset: 13, inputs: [part(false), part(true), part(false)], attrs: [attr.int('axis', axis)], outputs: [type] };
  } },
  ...[11, 13].map((opset) => ({ name: `Split sizes ${opset < 13 ? 'attribute' : 'input'} (opset ${opset})`, make: (d: Draw): NodeCase => {
    const x = data(d, d.dims(d.int(1, 3), 6));
    const r = x.dims.length;
    const axis = axisOf(d, r);
    const n = x.dims[axis < 0 ? axis + r : axis];
    const cut = d.int(0, n);
    const sizes = [cut, n - cut];
    const outputs = sizes.map(() => x.type);
    return opset < 13 ? { op: 'Split', opset, inputs: [x], attrs: [attr.int('axis', axis), attr.ints('split', sizes)], outputs } : { op: 'Split', opset, inputs: [x, C(sizes)], attrs: [attr.int('axis', axis)], outputs };
  } })),
  { name: 'Split equal parts (opset 13)', make: (d) => {
    const parts = d.int(1, 3);
    const dims = [...d.dims(d.int(0, 2)), parts * d.int(1, 2)];
    return { op: 'Split', opset: 13, inputs: [d.float(dims)], attrs: [attr.int('axis', -1)], outputs: Array.from({ length: parts }, () => 'float32' as const) };
  } },
  { name: 'Split num_outputs, uneven (opset 18)', make: (d) => {
    const parts = d.int(2, 3);
    // Sizes whose last chunk is not empty (onnxruntime refuses 4 into 3: chunks 2, 2, 0; see below).
    const dims = [d.int(1, 3), d.pick([parts, 5, 7, 8].filter((n) => n - (parts - 1) * Math.ceil(n / parts) > 0))];
    return { op: 'Split', opset: 18, inputs: [d.float(dims)], attrs: [attr.int('axis', d.pick([1, -1])), attr.int('num_outputs', parts)], outputs: Array.from({ length: parts }, () => 'float32' as const) };
  } },
  { name: 'Expand both ways', make: (d) => {
    const full = d.dims(d.int(1, 4));
    const x = data(d, d.broadcastOf(full));
    return { op: 'Expand', opset: 13, inputs: [x, C(d.broadcastOf(full))], outputs: out(x) };
  } },
  { name: 'Tile', make: (d) => {
    const x = data(d, d.dims(d.int(1, 3), 3));
    return { op: 'Tile', opset: 13, inputs: [x, C(x.dims.map(() => d.int(0, 3)))], outputs: out(x) };
  } },
  ...(['int64', 'int32'] as const).map((t) => ({ name: `Range ${t}`, make: (d: Draw): NodeCase => {
    const delta = d.pick([1, 2, 3, -1, -2]);
    const s = (v: number) => ({ ...C([v], t, []), init: false });
    return { op: 'Range', opset: 11, inputs: [s(d.int(-5, 5)), s(d.int(-9, 9)), s(delta)], outputs: [t] };
  } })),
  { name: 'Range float32', make: (d) => ({ op: 'Range', opset: 11, inputs: [d.float([], false, -3, 3), d.float([], false, -6, 6), { ...d.float([], false, 0.3, 1.5), data: [Math.fround(d.pick([1, -1]) * d.pick([0.25, 0.5, 0.75, 1.25]))] }], outputs: ['float32'] }) },
  ...([['float32', 1], ['int64', 7], ['int32', 6]] as const).map(([t]) => ({ name: `ConstantOfShape value ${t}`, make: (d: Draw): NodeCase => {
    const value: Operand = t === 'float32' ? d.float([1], true) : d.ints(t, [1], true);
    return { op: 'ConstantOfShape', opset: 9, inputs: [{ ...C(d.dims(d.int(0, 3)).map((v) => v - 1)), init: false }], attrs: [attr.tensor('value', value)], outputs: [t] };
  } })),
  { name: 'ConstantOfShape default (float32 zeros)', make: (d) => ({ op: 'ConstantOfShape', opset: 9, inputs: [C(d.dims(2))], outputs: ['float32'] }) },
  ...(['float32', 'int64', 'int32', 'bool'] as const).map((t) => ({ name: `Constant value ${t}`, make: (d: Draw): NodeCase => {
    const dims = d.dims(d.int(0, 3));
    const value = t === 'float32' ? d.float(dims, true) : d.ints(t, dims, true);
    return { op: 'Constant', opset: 13, inputs: [], attrs: [attr.tensor('value', value)], outputs: [t] };
  } })),
  { name: 'Constant value_ints / value_float (opset 12)', make: (d) => (d.int(0, 1) ? { op: 'Constant', opset: 12, inputs: [], attrs: [attr.ints('value_ints', d.dims(3, 9))], outputs: ['int64'] } : { op: 'Constant', opset: 12, inputs: [], attrs: [attr.float('value_float', Math.fround(d.int(-9, 9) / 4))], outputs: ['float32'] }) },
];

describe('shape and indexing host ops against onnxruntime-web', () => {
  for (const { name, c } of drawCases(rows, seed)) it(name, () => expectSameAsOrt(c));

  it('Split refuses an axis whose last chunk would be empty, as onnxruntime ("Split size 2 exceeds the remaining size of the selected axis, 0")', async () => {
    const bytes = oneNodeModel({ op: 'Split', opset: 18, inputs: [{ dims: [3, 4], type: 'float32', init: false, data: new Array(12).fill(1) }], attrs: [attr.int('axis', -1), attr.int('num_outputs', 3)], outputs: ['float32', 'float32', 'float32'] });
    await expect((await OnnxSession.create(bytes)).run({ i0: { dims: [3, 4], data: new Array(12).fill(1) } })).rejects.toThrow(/node "Split" \(Split\): axis 1 of size 4 does not split into 3 outputs of 2 \(the last would be empty\)/);
    const negative = oneNodeModel({ op: 'Split', opset: 13, inputs: [{ dims: [4], type: 'float32', init: false, data: [1, 2, 3, 4] }, Draw.const([6, -2])], outputs: ['float32', 'float32'] });
    await expect((await OnnxSession.create(negative)).run({ i0: { dims: [4], data: [1, 2, 3, 4] } })).rejects.toThrow(/split \[6,-2\] must be non-negative sizes that sum to 4/);
  });
});

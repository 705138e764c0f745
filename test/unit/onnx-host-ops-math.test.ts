import { describe, it } from 'vitest';
import { attr, Draw, drawCases, expectSameAsOrt, type CaseRow, type NodeCase } from '../support/onnx-one-node.js';
import { testSeed } from '../support/seed.js';

// The reductions, normalizations and products (ops-math.ts) against onnxruntime-web on seeded
// random shapes: negative axes, keepdims, axes as attributes (ReduceSum <= 12, ReduceMean/Max <= 17)
// and as inputs (13+ / 18+), Softmax's flattened axes before opset 13, MatMul's 1-D and batch
// broadcasts, Gemm's transposes and C broadcast.

const seed = testSeed('onnx-host-ops-math.test.ts');
const C = Draw.const;

/** k distinct axes of a rank-r tensor, some negative. */
function axesOf(d: Draw, r: number, k: number): number[] {
  const all = Array.from({ length: r }, (_, i) => i);
  return Array.from({ length: k }, () => all.splice(d.int(0, all.length - 1), 1)[0]).map((a) => (d.int(0, 1) ? a - r : a));
}

/** A reduction: axes as attribute before `inputFrom`, as input from it on; keepdims 0 or 1. */
function reduction(op: string, opset: number, inputFrom: number, type: 'float32' | 'int64' = 'float32') {
  return (d: Draw): NodeCase => {
    const r = d.int(1, 4);
    const x = type === 'float32' ? d.float(d.dims(r)) : d.ints('int64', d.dims(r));
    const axes = axesOf(d, r, d.int(1, r));
    const keep = [attr.int('keepdims', d.int(0, 1))];
    return opset >= inputFrom ? { op, opset, inputs: [x, C(axes)], attrs: keep, outputs: [type] } : { op, opset, inputs: [x], attrs: [...keep, attr.ints('axes', axes)], outputs: [type] };
  };
}

const rows: CaseRow[] = [
  ...['Softmax', 'LogSoftmax'].flatMap((op) => [
    ...[11, 13].map((opset) => ({ name: `${op} negative axis (opset ${opset})`, make: (d: Draw): NodeCase => {
      const r = d.int(1, 4);
      return { op, opset, inputs: [d.float(d.dims(r), false, -6, 6)], attrs: [attr.int('axis', d.int(-r, r - 1))], outputs: ['float32'] };
    } })),
    ...[11, 13].map((opset) => ({ name: `${op} default axis (opset ${opset})`, make: (d: Draw): NodeCase => ({ op, opset, inputs: [d.float(d.dims(d.int(2, 4)))], outputs: ['float32'] }) })),
  ]),
  { name: 'ReduceSum axes attribute (opset 11)', make: reduction('ReduceSum', 11, 13) },
  { name: 'ReduceSum axes input (opset 13)', make: reduction('ReduceSum', 13, 13) },
  { name: 'ReduceSum int64 (opset 13)', make: reduction('ReduceSum', 13, 13, 'int64') },
  { name: 'ReduceSum axes input (opset 18)', make: reduction('ReduceSum', 18, 13) },
  { name: 'ReduceSum without axes: all, or none with noop_with_empty_axes (opset 13)', make: (d) => ({ op: 'ReduceSum', opset: 13, inputs: [d.float(d.dims(d.int(1, 3)))], attrs: [attr.int('keepdims', d.int(0, 1)), attr.int('noop_with_empty_axes', d.int(0, 1))], outputs: ['float32'] }) },
  ...['ReduceMean', 'ReduceMax'].flatMap((op) => [
    { name: `${op} axes attribute (opset 13)`, make: reduction(op, 13, 18) },
    { name: `${op} axes input (opset 18)`, make: reduction(op, 18, 18) },
    { name: `${op} over all axes (opset 13)`, make: (d: Draw): NodeCase => ({ op, opset: 13, inputs: [d.float(d.dims(d.int(1, 3)))], attrs: [attr.int('keepdims', d.int(0, 1))], outputs: ['float32'] }) },
  ]),
  { name: 'ReduceMax int64 (opset 13)', make: reduction('ReduceMax', 13, 18, 'int64') },
  { name: 'MatMul batch broadcast', make: (d) => {
    const [m, k, n] = d.dims(3);
    const batch = d.dims(d.int(0, 2), 3);
    return { op: 'MatMul', opset: 13, inputs: [d.float([...d.broadcastOf(batch), m, k]), d.float([...d.broadcastOf(batch), k, n], d.int(0, 1) === 1)], outputs: ['float32'] };
  } },
  { name: 'MatMul with a 1-D operand', make: (d) => {
    const [m, k] = d.dims(2);
    return d.int(0, 1) ? { op: 'MatMul', opset: 13, inputs: [d.float([k]), d.float([...d.dims(d.int(0, 1)), k, m])], outputs: ['float32'] } : { op: 'MatMul', opset: 13, inputs: [d.float([...d.dims(d.int(0, 1)), m, k]), d.float([k], true)], outputs: ['float32'] };
  } },
  { name: 'MatMul int64', make: (d) => {
    const [m, k, n] = d.dims(3);
    return { op: 'MatMul', opset: 13, inputs: [d.ints('int64', [m, k]), d.ints('int64', [k, n])], outputs: ['int64'] };
  } },
  { name: 'Gemm transA/transB, alpha, beta, C broadcast', make: (d) => {
    const [m, k, n] = d.dims(3);
    const [ta, tb] = [d.int(0, 1), d.int(0, 1)];
    const c = d.pick([[m, n], [n], [1, n], [m, 1], [1], []]);
    return {
      op: 'Gemm', opset: d.pick([9, 11, 13]),
      inputs: [d.float(ta ? [k, m] : [m, k]), d.float(tb ? [n, k] : [k, n], true), d.float(c, true)],
      attrs: [attr.int('transA', ta), attr.int('transB', tb), attr.float('alpha', d.pick([1, 0.5, -2])), attr.float('beta', d.pick([1, 0, 3]))],
      outputs: ['float32'],
    };
  } },
  { name: 'Gemm without C (opset 11)', make: (d) => {
    const [m, k, n] = d.dims(3);
    return { op: 'Gemm', opset: 11, inputs: [d.float([m, k]), d.float([k, n], true)], outputs: ['float32'] };
  } },
  { name: 'BatchNormalization (inference)', make: (d) => {
    const dims = [d.int(1, 3), d.int(1, 4), ...d.dims(d.int(0, 2))];
    const ch = dims[1];
    return {
      op: 'BatchNormalization', opset: d.pick([7, 9, 14, 15]),
      inputs: [d.float(dims), d.float([ch], true), d.float([ch], true), d.float([ch], true), d.float([ch], true, 0.1, 2)],
      attrs: [attr.float('epsilon', d.pick([1e-5, 1e-3]))],
      outputs: ['float32'],
    };
  } },
  { name: 'LayerNormalization negative axis, scale and bias, Mean and InvStdDev (opset 17)', make: (d) => {
    const r = d.int(1, 4);
    const dims = d.dims(r);
    const axis = d.int(-r, r - 1);
    const norm = dims.slice(axis < 0 ? axis + r : axis);
    const bias = d.int(0, 1) ? [d.float(d.broadcastOf(norm), true)] : [];
    const stats = d.int(0, 1) ? (['float32', 'float32'] as const) : [];
    return { op: 'LayerNormalization', opset: 17, inputs: [d.float(dims), d.float(norm, true), ...bias], attrs: [attr.int('axis', axis), attr.float('epsilon', d.pick([1e-5, 1e-2]))], outputs: ['float32', ...stats] };
  } },
  { name: 'ArgMax negative axis, keepdims, select_last_index', make: (d) => {
    const r = d.int(1, 4);
    const x = d.int(0, 1) ? { ...d.ints('int32', d.dims(r), false, -2, 2), type: 'float32' as const } : d.ints('int64', d.dims(r), false, -2, 2);
    return { op: 'ArgMax', opset: 13, inputs: [x], attrs: [attr.int('axis', d.int(-r, r - 1)), attr.int('keepdims', d.int(0, 1)), attr.int('select_last_index', d.int(0, 1))], outputs: ['int64'] };
  } },
  { name: 'ArgMax defaults (opset 11)', make: (d) => ({ op: 'ArgMax', opset: 11, inputs: [d.float(d.dims(d.int(1, 3)))], outputs: ['int64'] }) },
];

describe('reductions, normalizations and products against onnxruntime-web', () => {
  for (const { name, c } of drawCases(rows, seed)) it(name, () => expectSameAsOrt(c));
});

import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kHostOps } from '../../src/api/onnx-graph/host-ops.js';
import { compileGraph } from '../../src/api/onnx-graph/graph-compile.js';
import { OnnxSession } from '../../src/api/onnx-graph/session.js';
import { ShapeCache } from '../../src/api/onnx-graph/shape-cache.js';
import { fuseStacks } from '../../src/api/onnx-graph/stack-fusion.js';
import { decodeModel } from '../../src/formats/onnx/proto.js';
import { ReadBudget } from '../../src/formats/onnx/tensors.js';
import type { Tensor } from '../../src/core/tensor.js';
import { loadCase } from '../support/onnx-cases.js';

// The session's per-shape cache of values computed from the inputs' dims alone
// (src/api/onnx-graph/shape-cache.ts): PyTorch's and tf2onnx's zero-state chains run once per
// input shape. Expected values: ONNX Runtime's outputs for the fixtures (onnx-exports/expected.mjs);
// for a smaller batch, the same outputs' rows (the sequences of a batch are independent).

const kDir = join(import.meta.dirname, '../fixtures/onnx-exports');

/** Rows [0, n) of axis `axis`. */
function rows(t: Tensor<number[]>, axis: number, n: number): Tensor<number[]> {
  const outer = t.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const data: number[] = [];
  for (let o = 0; o < outer; o++) data.push(...t.data.slice(o * t.shape[axis] * inner, (o * t.shape[axis] + n) * inner));
  return { shape: t.shape.map((d, k) => (k === axis ? n : d)), data };
}

const kCases = [
  // Batch axes of the inputs and outputs.
  { name: 'torch_l3_bidir_batch_first', batchAxis: { x: 0, out: 0, h_n: 1, c_n: 1 } as Record<string, number> },
  { name: 'tf2onnx_bidir_join', batchAxis: { x: 0, y: 0 } as Record<string, number> },
];

describe('values computed from shapes are cached per input shape', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(kCases)('$name: the zero-state chain is cached, not its LSTM or glue', ({ name }) => {
    const graph = decodeModel(loadCase(name, kDir).bytes).graph!;
    const inputs = ['x'];
    const program = compileGraph(graph, { opset: 13, budget: new ReadBudget(Infinity), maxBytes: Infinity }, new Map(), new Set(inputs), 'the graph');
    const steps = fuseStacks(program.steps, new Set([...program.constants.keys(), ...inputs]), new Set(program.outputs));
    const cache = new ShapeCache(steps, inputs, new Set(program.outputs));
    const ops = [...cache.skipped].map((s) => s.node.opType);
    expect(ops).toContain('Shape');
    expect(ops.some((op) => op === 'ConstantOfShape' || op === 'Expand')).toBe(true);
    for (const s of cache.skipped) expect(s.lstm ?? s.stack ?? s.branches ?? null).toBeNull();
  });

  it.each(kCases)('$name: a batch of 1 between two full batches gives each its own results', async ({ name, batchAxis }) => {
    const { bytes, expected } = loadCase(name, kDir);
    const session = await OnnxSession.create(bytes);
    const shape = vi.spyOn(kHostOps, 'Shape');
    const x = expected.inputs.x;
    const one = rows(x, batchAxis.x, 1);
    const calls = [
      { feeds: { x }, outputs: expected.outputs },
      { feeds: { x: one }, outputs: Object.fromEntries(Object.entries(expected.outputs).map(([k, t]) => [k, rows(t, batchAxis[k], 1)])) },
      { feeds: { x }, outputs: expected.outputs },
    ];
    for (const [k, call] of calls.entries()) {
      shape.mockClear();
      const got = await session.run(call.feeds);
      // Shape(x) runs at a shape the session has not seen (calls 0 and 1), not at one it has (call 2).
      expect(shape.mock.calls.length > 0, `call ${k}: Shape ran`).toBe(k < 2);
      for (const [output, want] of Object.entries(call.outputs)) {
        expect([...got[output].dims], `call ${k}: ${output}`).toEqual(want.shape);
        const worst = Math.max(...want.data.map((e, i) => Math.abs(Number(got[output].data[i]) - e) / (1e-5 + 1e-5 * Math.abs(e))));
        expect(worst, `call ${k}: ${output}, worst error / tolerance`).toBeLessThanOrEqual(1);
      }
    }
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli-in-process.js';
import { loadCase, maxDifference } from '../support/onnx-cases.js';
import { referenceResult } from '../../src/api/runner.js';
import type { Tensor } from '../../src/core/tensor.js';
import { modelFromJSON } from '../../src/formats/model-json.js';

// `run`, `info` and `convert` with ONNX files through the graph executor (src/cli/onnx-commands.ts).
// Expected values: the fixtures' (NumPy float64 / PyTorch float64, test/fixtures/make_onnx_fixtures.py)
// and, for the PyTorch export without (h0, c0), PyTorch's weights as our JSON run on the CPU reference.

const work = mkdtempSync(join(tmpdir(), 'webgpu-lstm-onnx-graph-cli-'));
const fixture = (name: string) => join(import.meta.dirname, '../fixtures/onnx', `${name}.onnx`);
const noStates = join(import.meta.dirname, '../../bench/fixtures/torch_lstm2_no_states.onnx');
const noStatesJson = join(import.meta.dirname, '../../bench/fixtures/torch_lstm2_no_states.json');
const kExports = join(import.meta.dirname, '../fixtures/onnx-exports');
const exportFile = (name: string) => join(kExports, `${name}.onnx`);

async function runTo(args: string[]) {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}.json`);
  const result = await cli([...args, '--backend', 'cpu', '--out', out]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8'));
}

describe('run --model m.onnx through the graph executor', () => {
  it('takes the graph input names, with a sequence length of 0, and writes every output by name', async () => {
    const { expected } = loadCase('node_lengths_zero');
    const input = join(work, 'graph-names.json');
    writeFileSync(input, JSON.stringify(expected.inputs));
    const written = await runTo(['run', '--model', fixture('node_lengths_zero'), '--input', input]);
    for (const name of ['Y', 'Y_h', 'Y_c']) expect(maxDifference(written[name], expected.outputs[name]), name).toBeLessThan(1e-9);
    expect(written.placement.backend).toHaveLength(1);
  });

  it('takes the library keys (x, lengths, h0, c0) and adds output / h_n / c_n where they map', async () => {
    const { expected } = loadCase('node_lengths_zero');
    const input = join(work, 'library-keys.json');
    const i = expected.inputs;
    writeFileSync(input, JSON.stringify({ x: i.X, lengths: i.sequence_lens, h0: i.initial_h, c0: i.initial_c }));
    const written = await runTo(['run', '--model', fixture('node_lengths_zero'), '--input', input]);
    expect(maxDifference(written.Y_h, expected.outputs.Y_h)).toBeLessThan(1e-9);
    expect(maxDifference(written.h_n, expected.outputs.Y_h)).toBeLessThan(1e-9);
    expect(maxDifference(written.c_n, expected.outputs.Y_c)).toBeLessThan(1e-9);
    // "lengths" as a plain list too, as our model JSON takes it (the README's form).
    writeFileSync(input, JSON.stringify({ x: i.X, lengths: i.sequence_lens.data, h0: i.initial_h, c0: i.initial_c }));
    const listed = await runTo(['run', '--model', fixture('node_lengths_zero'), '--input', input]);
    expect(maxDifference(listed.Y_h, expected.outputs.Y_h)).toBeLessThan(1e-9);
    expect(maxDifference(listed.Y, expected.outputs.Y)).toBeLessThan(1e-9);
    writeFileSync(input, JSON.stringify({ x: i.X, lengths: [1.5, 0, 2] }));
    expect((await cli(['run', '--model', fixture('node_lengths_zero'), '--input', input, '--backend', 'cpu'])).stderr).toBe(`webgpu-lstm: INVALID_ARGUMENT: --input ${input} "lengths": expected a list of integers (one per batch row), got [1.5, 0, 2]`);
  });

  it('runs a PyTorch export without (h0, c0), which does not reduce to our model, to the same numbers as its weights in our JSON', async () => {
    const x = { shape: [5, 2, 16], data: Array.from({ length: 160 }, (_, k) => Math.sin(0.3 * k)) };
    const input = join(work, 'x.json');
    writeFileSync(input, JSON.stringify({ x }));
    const written = await runTo(['run', '--model', noStates, '--input', input]);
    const ours = await runTo(['run', '--model', noStatesJson, '--input', input]);
    expect(maxDifference(written.output, ours.output)).toBeLessThan(1e-12);
    expect(maxDifference(written.h_n, ours.h_n)).toBeLessThan(1e-12);
    expect(written.placement.fusedStacks).toHaveLength(1);
  });

  it('refuses a key that is neither a graph input nor one of the library keys, naming both', async () => {
    const input = join(work, 'bad.json');
    writeFileSync(input, JSON.stringify({ nope: { shape: [1], data: [0] } }));
    const result = await cli(['run', '--model', fixture('node_lengths_zero'), '--input', input, '--backend', 'cpu']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"nope" is neither an input of the graph \(X, sequence_lens, initial_h, initial_c\)/);
  });
});

describe('info --model m.onnx', () => {
  it('prints inputs, outputs, op counts and where each node runs', async () => {
    const result = await cli(['info', '--model', noStates]);
    expect(result.code, result.stderr).toBe(0);
    const info = JSON.parse(result.stdout);
    expect(info.inputs).toEqual([{ name: 'x', type: 'float32' }]);
    expect(info.outputs.map((o: { name: string }) => o.name)).toEqual(['output', 'h_n', 'c_n']);
    expect(info.opCounts.LSTM).toBe(2);
    expect(info.placement.backend).toHaveLength(2);
    expect(info.placement.host.length).toBeGreaterThan(0);
    expect(info.reducesTo).toMatch(/^our LSTM \(2 layers, hidden 32\)/);
  });
});

describe('convert an ONNX graph', () => {
  it("converts PyTorch's export without (h0, c0) (zero states Sliced per layer) to PyTorch's weights", async () => {
    const out = join(work, 'converted.json');
    const result = await cli(['convert', noStates, out]);
    expect(result.code, result.stderr).toBe(0);
    const converted = JSON.parse(readFileSync(out, 'utf8'));
    const pytorch = JSON.parse(readFileSync(noStatesJson, 'utf8'));
    expect(converted.config).toEqual(pytorch.config);
    expect(Object.keys(converted.params).sort()).toEqual(Object.keys(pytorch.params).sort());
    for (const [name, tensor] of Object.entries(pytorch.params as Record<string, { shape: number[]; data: number[] }>)) {
      expect(maxDifference(converted.params[name], tensor), name).toBeLessThan(1e-7);
    }
  });

  // W, R and B computed in the graph (PyTorch's do_constant_folding=False; opset 6 and 7 graphs
  // built as PyTorch <= 1.3 wrote them): folded at load, then read as the stack. Expected: ONNX
  // Runtime's outputs (torch.nn.LSTM's for opset 6; test/fixtures/onnx-exports/README.md).
  it.each(['torch_l2_no_folding', 'opset6_weights_in_graph', 'opset7_weights_in_graph'])('converts %s, whose weights the graph computes, to a model giving ONNX Runtime\'s outputs', async (name) => {
    const out = join(work, `${name}.json`);
    const result = await cli(['convert', exportFile(name), out]);
    expect(result.code, result.stderr).toBe(0);
    const model = modelFromJSON(JSON.parse(readFileSync(out, 'utf8')));
    const c = JSON.parse(readFileSync(join(kExports, `${name}.json`), 'utf8')) as { inputs: Record<string, Tensor<number[]>>; outputs: Record<string, Tensor<number[]>> };
    const [T, B] = c.inputs.x.shape;
    const r = referenceResult(model, c.inputs.x.data, { steps: T, batch: B, ...(c.inputs.h0 ? { h0: c.inputs.h0.data, c0: c.inputs.c0.data } : {}) });
    const tolerance = (e: number) => 1e-5 + 1e-5 * Math.abs(e);
    // PyTorch's exports name the states h_n / c_n, the opset-6/7 graphs Y_h / Y_c.
    for (const [output, mine] of [[c.outputs.h_n ? 'h_n' : 'Y_h', r.hN], [c.outputs.c_n ? 'c_n' : 'Y_c', r.cN]] as const) {
      const want = c.outputs[output];
      expect(mine.shape, output).toEqual(want.shape);
      want.data.forEach((e, k) => expect(Math.abs(mine.data[k] - e), `${output}[${k}]`).toBeLessThanOrEqual(tolerance(e)));
    }
  });

  it('says why a graph that does not reduce to our model is not converted', async () => {
    const layerNormFirst = join(import.meta.dirname, '../fixtures/onnx-exports/torch_linear_layernorm_before.onnx');
    const result = await cli(['convert', layerNormFirst, join(work, 'x.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/runs for inference .* not exactly an LSTM stack with a dense head/);
  });
});

describe('train on an ONNX graph', () => {
  // torch_head_linear_relu_last: an LSTM and a Linear-ReLU-Linear head on out[-1]. Training the
  // .onnx file must be training the model it converts to (whose outputs match ONNX Runtime's,
  // test/unit/onnx-convert-exports.test.ts): the same parameters after the same steps.
  const data = () => {
    const { x } = JSON.parse(readFileSync(join(kExports, 'torch_head_linear_relu_last.json'), 'utf8')).inputs as { x: Tensor<number[]> };
    const B = x.shape[1];
    return { x: { shape: x.shape, data: x.data }, y: { shape: [B, 2], data: Array.from({ length: B * 2 }, (_, k) => Math.cos(k)) } };
  };
  const train = (model: string, out: string) => cli(['train', '--model', model, '--data', dataFile, '--epochs', '2', '--batch-size', '3', '--lr', '0.05', '--optimizer', 'sgd', '--no-shuffle', '--backend', 'cpu', '--out', out]);
  const dataFile = join(work, 'train-data.json');

  it('trains the .onnx file as it trains the converted model', async () => {
    writeFileSync(dataFile, JSON.stringify(data()));
    const converted = join(work, 'head.json');
    expect((await cli(['convert', exportFile('torch_head_linear_relu_last'), converted])).code).toBe(0);
    const [fromOnnx, fromJson] = [join(work, 'trained-onnx.json'), join(work, 'trained-json.json')];
    const a = await train(exportFile('torch_head_linear_relu_last'), fromOnnx);
    expect(a.code, a.stderr).toBe(0);
    expect((await train(converted, fromJson)).code).toBe(0);
    const [p, q] = [JSON.parse(readFileSync(fromOnnx, 'utf8')).params, JSON.parse(readFileSync(fromJson, 'utf8')).params];
    const before = JSON.parse(readFileSync(converted, 'utf8')).params;
    expect(Object.keys(p).sort()).toEqual(Object.keys(q).sort());
    for (const name of Object.keys(q)) expect(p[name].data, name).toEqual(q[name].data);
    expect(p.weight_ih_l0.data).not.toEqual(before.weight_ih_l0.data);
  });

  it('says why a graph without a dense head does not train', async () => {
    writeFileSync(dataFile, JSON.stringify(data()));
    const result = await train(exportFile('opset7_weights_in_graph'), join(work, 'no.json'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/has no "head" in its config; training needs one/);
  });
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/api/backend.js';
import { OnnxSession, type OnnxFeed, type OnnxSessionOptions } from '../../src/api/onnx-graph/session.js';
import type { ForwardOptions } from '../../src/api/forward-input.js';
import { referenceResult, type Runner } from '../../src/api/runner.js';
import type { LSTM } from '../../src/model/lstm.js';
import { LstmError } from '../../src/core/errors.js';
import { decodeModel, encodeModel } from '../../src/formats/onnx/proto.js';
import type { Tensor } from '../../src/core/tensor.js';
import { loadCase } from '../support/onnx-cases.js';

// Real ONNX exports (test/fixtures/onnx-exports/: torch 1.13's torch.onnx.export of nn.LSTM, and
// graphs written with onnx.helper node for node as tf2onnx writes Keras LSTMs; make.py) run through
// OnnxSession: the LSTM nodes on the float64 CPU reference and on the float32 wasm engine, the rest
// on the host. Expected outputs: ONNX Runtime's (onnxruntime-web 1.30, expected.mjs), and for the
// opset-6 file, which ONNX Runtime cannot run, torch.nn.LSTM's in float64 (cross-checked there
// against ONNX Runtime on the same graph stamped opset 7).
//
// Tolerances: the CPU reference computes in float64 and ONNX Runtime in float32, so they differ by
// float32 rounding; the bound is 1e-5 + 1e-5·|expected| (worst seen: 1.3e-7). The wasm engine is
// float32 with its own summation order and exp/tanh; its documented bound is the GPU's, 1e-5 absolute
// on the torch.nn.LSTM fixtures (test/wasm/forward.test.ts), here 1e-5 + 1e-5·|expected| too, the
// host ops around it running in float64 (worst seen: 2.4e-7, the unrolled TimeDistributed Dense).

const kDir = join(import.meta.dirname, '../fixtures/onnx-exports');
const kCases = readdirSync(kDir).filter((f) => f.endsWith('.onnx')).map((f) => f.slice(0, -5)).sort();
const kCpuTolerance = { abs: 1e-5, rel: 1e-5 };
const kWasmTolerance = { abs: 1e-5, rel: 1e-5 };

// The exports whose LSTM layers run as one fused stack call (each has one stack); see the last describe.
const kFusedStacks = new Set(['torch_l2_state', 'torch_l2_bidir_state', 'torch_l3_bidir_batch_first', 'torch_l2_no_state_opset9', 'torch_l2_no_folding', 'torch_padded', 'torch_head_linear_relu_last', 'torch_head_logsoftmax_last', 'torch_linear_layernorm_before', 'torch_linear_layernorm_before_opset17']);

interface ExportCase {
  readonly inputs: Record<string, Tensor<number[]> & { dtype?: 'float32' | 'int32' | 'int64' }>;
  readonly outputs: Record<string, Tensor<number[]>>;
}

/**
 * `backend` (or the CPU reference), its forward calls recorded: the number of layers of each
 * model a call ran (2 or more: a fused stack call was taken).
 */
function counting(backend?: Backend): { options: OnnxSessionOptions; calls: number[] } {
  const calls: number[] = [];
  if (!backend) return { calls, options: { forward: (model, x, o) => (calls.push(model.config.numLayers), referenceResult(model, x, o)) } };
  const load = async (model: LSTM) => {
    const runner = await backend.load(model);
    return Object.assign(Object.create(runner) as Runner, { forward: (x: Float64Array, o: ForwardOptions) => (calls.push(model.config.numLayers), runner.forward(x, o)), dispose: () => runner.dispose() });
  };
  return { calls, options: { backend: { load } } };
}

/** The worst |actual − expected| / (abs + rel·|expected|) over every output (≤ 1 passes), and the forward calls' layer counts. */
async function worstRatio(bytes: Uint8Array, c: ExportCase, tolerance: { abs: number; rel: number }, backend?: Backend): Promise<{ ratio: number; worstAbs: number; calls: number[] }> {
  const { options, calls } = counting(backend);
  const session = await OnnxSession.create(bytes, options);
  try {
    const feeds: Record<string, OnnxFeed> = Object.fromEntries(Object.entries(c.inputs).map(([name, t]) => [name, { dims: t.shape, data: t.dtype === 'int64' ? BigInt64Array.from(t.data, BigInt) : t.data }]));
    const outputs = await session.run(feeds);
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(c.outputs).sort());
    let ratio = 0;
    let worstAbs = 0;
    for (const [name, expected] of Object.entries(c.outputs)) {
      const actual = outputs[name];
      expect([...actual.dims], name).toEqual(expected.shape);
      for (let k = 0; k < expected.data.length; k++) {
        const e = expected.data[k];
        const d = Math.abs(Number(actual.data[k]) - e);
        expect(Number.isFinite(d), `${name}[${k}]`).toBe(true);
        worstAbs = Math.max(worstAbs, d);
        ratio = Math.max(ratio, d / (tolerance.abs + tolerance.rel * Math.abs(e)));
      }
    }
    return { ratio, worstAbs, calls };
  } finally {
    session.dispose();
  }
}

it('the fixture folder holds every export make.py writes', () => {
  expect(kCases.length).toBe(20);
  for (const name of kCases) expect(loadCase(name, kDir).expected.outputs, name).toBeDefined();
});

describe('real exports on the CPU reference (float64), against ONNX Runtime', () => {
  it.each(kCases)('%s', async (name) => {
    const { bytes, expected } = loadCase(name, kDir);
    const { ratio, worstAbs, calls } = await worstRatio(bytes, expected as unknown as ExportCase, kCpuTolerance);
    expect(ratio, `worst |cpu − expected| ${worstAbs}`).toBeLessThanOrEqual(1);
    expect(calls.filter((l) => l > 1).length, 'fused stack calls').toBe(kFusedStacks.has(name) ? 1 : 0);
  });
});

describe('real exports on the wasm engine (float32), against ONNX Runtime', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await createBackend({ prefer: 'wasm', threads: 1 });
  });
  afterAll(() => backend?.dispose());

  it('is the wasm engine', () => expect(backend.kind).toBe('wasm'));
  it.each(kCases)('%s', async (name) => {
    const { bytes, expected } = loadCase(name, kDir);
    const { ratio, worstAbs, calls } = await worstRatio(bytes, expected as unknown as ExportCase, kWasmTolerance, backend);
    expect(ratio, `worst |wasm − expected| ${worstAbs}`).toBeLessThanOrEqual(1);
    expect(calls.filter((l) => l > 1).length, 'fused stack calls').toBe(kFusedStacks.has(name) ? 1 : 0);
  });
});

describe("LSTM-1's output_sequence (opset 6 files)", () => {
  /** opset6_weights_in_graph with its opset or its LSTM's output_sequence changed. */
  function variant(opset: number, outputSequence: number): Uint8Array {
    const model = decodeModel(loadCase('opset6_weights_in_graph', kDir).bytes);
    model.opsetImport![0].version = opset;
    const lstm = model.graph!.node!.find((n) => n.opType === 'LSTM')!;
    lstm.attribute!.find((a) => a.name === 'output_sequence')!.i = outputSequence;
    return encodeModel(model);
  }
  const codeOf = (p: Promise<unknown>) => p.then(() => 'loaded', (e: unknown) => (e instanceof LstmError ? `${e.code}: ${e.message}` : String(e)));

  it('output_sequence = 0 (its default) still gives Y where the graph names it', async () => {
    const { expected } = loadCase('opset6_weights_in_graph', kDir);
    const { ratio } = await worstRatio(variant(6, 0), expected as unknown as ExportCase, kCpuTolerance);
    expect(ratio).toBeLessThanOrEqual(1);
  });
  it('a value other than 0 or 1 is INVALID_ARGUMENT naming the attribute', async () => {
    expect(await codeOf(OnnxSession.create(variant(6, 2)))).toMatch(/^INVALID_ARGUMENT: node "[^"]*" \(LSTM\)\.output_sequence: expected 0 or 1, got 2$/);
  });
  it('at opset 7, where LSTM has no output_sequence, the attribute is refused', async () => {
    expect(await codeOf(OnnxSession.create(variant(7, 1)))).toMatch(/^INVALID_ARGUMENT: .*attribute "output_sequence" is not supported/);
  });
});

describe('which exports run their LSTM layers as one fused stack call', () => {
  // Fused (10 of the 20; 3 before torch 1.13's Expand-form zero states fused): the layers' zero states
  // are computed from X alone (ConstantOfShape of Shape(x), sliced per layer, as torch exports with
  // dynamic axes), or from the shape of the glue between the layers (torch 1.13 without dynamic axes:
  // Expand(0, [D, Shape(Squeeze(Y_k))[1], H]), which the probe evaluates on the shapes of the call
  // and finds zeros of [D, B, H]), or are graph inputs sliced per layer; the layers are joined by
  // Squeeze / Transpose / Reshape only. The calls above show the fused call is the one taken.
  // Not fused: one-layer exports, and the tf2onnx stacks, which change hidden size or direction from
  // layer to layer (one model cannot hold them).
  it.each(kCases)('%s', async (name) => {
    const session = await OnnxSession.create(loadCase(name, kDir).bytes);
    const stacks = new Set(session.placement.filter((p) => p.stack).map((p) => p.stack));
    expect(stacks.size).toBe(kFusedStacks.has(name) ? 1 : 0);
    expect(session.placement.filter((p) => p.on === 'backend').length).toBe(session.lstmNodes.length);
  });
  it('counts 10 fused of the 20', () => expect(kCases.filter((n) => kFusedStacks.has(n)).length).toBe(10));
});

describe('a state computed from the glue\'s shape that is not zeros', () => {
  // torch_l2_no_state_opset9 with layer 2's zero state Expand(0, [1, Shape(Squeeze(Y_1))[1], H])
  // made Expand(0.5, ...): the stack is still fused at load, but the probe finds the state is not
  // zeros, so the layers run one by one, exactly as without fusion.
  function halfState(): Uint8Array {
    const model = decodeModel(loadCase('torch_l2_no_state_opset9', kDir).bytes);
    const constant = model.graph!.node!.find((n) => n.output?.[0] === '/lstm/Constant_6_output_0')!;
    const t = constant.attribute![0].t!;
    t.rawData = new Uint8Array(new Float32Array(t.dims!.reduce<number>((a, b) => a * Number(b), 1)).fill(0.5).buffer);
    return encodeModel(model);
  }

  it('runs node by node, to the unfused outputs', async () => {
    const { expected } = loadCase('torch_l2_no_state_opset9', kDir);
    const c = expected as unknown as ExportCase;
    const feeds = { x: { dims: c.inputs.x.shape, data: c.inputs.x.data } };
    const fused = counting();
    const session = await OnnxSession.create(halfState(), fused.options);
    expect(new Set(session.placement.filter((p) => p.stack).map((p) => p.stack)).size).toBe(1);
    const unfused = await OnnxSession.create(halfState(), { fuseStacks: false });
    const [a, b] = [await session.run(feeds), await unfused.run(feeds)];
    expect(fused.calls).toEqual([1, 1]);
    for (const name of session.outputNames) expect(Array.from(a[name].data as ArrayLike<number>), name).toEqual(Array.from(b[name].data as ArrayLike<number>));
    // The state was used: h_n of layer 2 is not the export's.
    expect(Math.max(...Array.from(a.h_n.data as Float64Array, (v, k) => Math.abs(v - c.outputs.h_n.data[k])))).toBeGreaterThan(1e-3);
  });
});

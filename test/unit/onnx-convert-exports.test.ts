import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { referenceResult } from '../../src/api/runner.js';
import { modelFromOnnx } from '../../src/api/onnx-graph/reduce.js';
import { OnnxSession } from '../../src/api/onnx-graph/session.js';
import { LstmError } from '../../src/core/errors.js';
import { decodeModel, encodeModel } from '../../src/formats/onnx/proto.js';

// The real exports of test/fixtures/onnx-exports/ that are exactly an LSTM stack with an optional
// dense head once their constant subgraphs are folded (PyTorch with and without (h0, c0), padded
// sequences, Linear/ReLU/Softmax/LogSoftmax heads, do_constant_folding=False, and the opset-6/7 graphs whose
// W/R/B are computed from initializers) become this library's model (what `convert` and `train`
// use), and that model, on the float64 reference, gives ONNX Runtime's outputs (expected.mjs; the
// opset-6 file's are torch.nn.LSTM's, see the fixtures' README) to 1e-5 + 1e-5·|expected|. The
// others are refused, each saying why.

const kDir = join(import.meta.dirname, '../fixtures/onnx-exports');
const kCases = readdirSync(kDir).filter((f) => f.endsWith('.onnx')).map((f) => f.slice(0, -5)).sort();
// 9 converted before the graph was compiled and folded first (the first nine); the last, since
// log_softmax became a head activation.
const kConverting = ['torch_l1_no_state', 'torch_l2_no_state_opset9', 'torch_l2_state', 'torch_l2_bidir_state', 'torch_l3_bidir_batch_first', 'torch_padded', 'torch_padded_bidir_batch_first', 'torch_head_linear_relu_last', 'torch_head_softmax_batch_first', 'torch_l2_no_folding', 'opset6_weights_in_graph', 'opset7_weights_in_graph', 'torch_head_logsoftmax_last'];
// Why the others do not reduce to one model.
const kRefused: Record<string, RegExp> = {
  tf2onnx_bidir_join: /node "lstm2" \(LSTM\): its direction, hidden_size.* must be those of the first LSTM node/,
  tf2onnx_stack_64_128_64_bn_dense: /node "lstm1" \(LSTM\): its direction, hidden_size.* must be those of the first LSTM node/,
  tf2onnx_masked_bidir: /graph output "y" is the output of node .*\(Flatten\), which this reader does not follow/,
  tf2onnx_time_distributed: /graph output "y" is the output of node .*\(Concat\), which this reader does not follow/,
  // out[-1] of a bidirectional LSTM: the reverse half is one step in, not h_n (its LogSoftmax head itself converts).
  torch_head_logsoftmax_opset11: /\(Gather\): the last time step of a bidirectional LSTM output holds the reverse direction's state after one step/,
  torch_linear_layernorm_before: /the first LSTM node must read a graph input .*\(Add\)/,
  torch_linear_layernorm_before_opset17: /the first LSTM node must read a graph input .*\(LayerNormalization\)/,
};

interface ExportCase {
  readonly inputs: Record<string, { shape: number[]; data: number[] }>;
  readonly outputs: Record<string, { shape: number[]; data: number[] }>;
}

const bytesOf = (name: string) => new Uint8Array(readFileSync(join(kDir, `${name}.onnx`)));

it('13 of the 20 exports convert; every other one is refused', () => {
  expect(kCases.length).toBe(20);
  expect(kConverting.length).toBe(13);
  expect([...kConverting, ...Object.keys(kRefused)].sort()).toEqual(kCases);
});

describe('exports that convert give ONNX Runtime\'s outputs on the reference', () => {
  it.each(kConverting)('%s', (name) => {
    const c = JSON.parse(readFileSync(join(kDir, `${name}.json`), 'utf8')) as ExportCase;
    const { model, inputs, outputs } = modelFromOnnx(bytesOf(name));
    const x = c.inputs[inputs.x];
    const [T, B] = model.config.batchFirst ? [x.shape[1], x.shape[0]] : [x.shape[0], x.shape[1]];
    const result = referenceResult(model, x.data, {
      steps: T,
      batch: B,
      ...(inputs.h0 ? { h0: c.inputs[inputs.h0].data } : {}),
      ...(inputs.c0 ? { c0: c.inputs[inputs.c0].data } : {}),
      ...(inputs.lengths ? { lengths: c.inputs[inputs.lengths].data } : {}),
    });
    expect(outputs.map((o) => o.name).sort()).toEqual(Object.keys(c.outputs).sort());
    for (const { name: output, view } of outputs) {
      const expected = c.outputs[output];
      const actual = view.kind === 'sequence' ? result.output : view.kind === 'prediction' ? result.prediction! : view.which === 'h' ? result.hN : result.cN;
      if (view.kind === 'sequence') expect(view.form, output).toBe(model.config.batchFirst ? 'BTF' : 'TBF');
      if (view.kind === 'prediction') expect(view.form, output).toBe('BF');
      expect(actual.shape, output).toEqual(expected.shape);
      const worst = Math.max(...expected.data.map((e, i) => Math.abs(actual.data[i] - e) / (1e-5 + 1e-5 * Math.abs(e))));
      expect(worst, `${output}: worst error / tolerance`).toBeLessThanOrEqual(1);
    }
  });
});

describe('exports that do not reduce say why', () => {
  it.each(Object.entries(kRefused))('%s', (name, why) => {
    let error: unknown;
    try {
      modelFromOnnx(bytesOf(name));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LstmError);
    expect((error as LstmError).code).toBe('INVALID_ARGUMENT');
    expect((error as LstmError).message).toMatch(why);
  });
});

describe('a head on out[-1] of a padded batch', () => {
  // torch_padded (sequence_lens 5, 3, 2 of T = 5) with a head MatMul(Gather(out, -1), W) as the
  // graph's output. ONNX's Y is zero past each sequence's length, so the last step is zeros for the
  // two shorter sequences: not h_n, which our head reads. It must not convert; it runs.
  function withHead(): Uint8Array {
    const model = decodeModel(bytesOf('torch_padded'));
    const graph = model.graph!;
    const int64 = (v: number) => new Uint8Array(BigInt64Array.of(BigInt(v)).buffer);
    graph.initializer!.push({ name: 'last', dims: [], dataType: 7, rawData: int64(-1) }, { name: 'W_head', dims: [4, 2], dataType: 1, rawData: new Uint8Array(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]).buffer) });
    graph.node!.push({ name: 'step', opType: 'Gather', input: ['out', 'last'], output: ['out_last'], attribute: [{ name: 'axis', type: 2, i: 0 }] }, { name: 'head', opType: 'MatMul', input: ['out_last', 'W_head'], output: ['pred'] });
    graph.output = [{ name: 'pred', type: { tensorType: { elemType: 1 } } }];
    return encodeModel(model);
  }

  it('is refused, saying why', () => {
    expect(() => modelFromOnnx(withHead())).toThrow(/\(Gather\): the last time step of an LSTM output with sequence_lens is zero for every shorter sequence, not its final h/);
  });

  it('runs, the shorter sequences\' rows being the head of zeros', async () => {
    const c = JSON.parse(readFileSync(join(kDir, 'torch_padded.json'), 'utf8')) as ExportCase;
    const session = await OnnxSession.create(withHead());
    const { pred } = await session.run({ x: { dims: c.inputs.x.shape, data: c.inputs.x.data }, lengths: { dims: c.inputs.lengths.shape, data: c.inputs.lengths.data } });
    expect([...pred.dims]).toEqual([3, 2]);
    expect(Array.from(pred.data as Float64Array).slice(2)).toEqual([0, 0, 0, 0]);
    // The full-length sequence's row is its out[-1] times W_head (ONNX Runtime's out, expected.mjs).
    const last = c.outputs.out.data.slice(4 * 3 * 4, 4 * 3 * 4 + 4);
    const want = [0, 1].map((j) => last.reduce((a, v, k) => a + v * (2 * k + j + 1), 0));
    want.forEach((w, j) => expect(Math.abs(Number(pred.data[j]) - w)).toBeLessThan(1e-5 + 1e-5 * Math.abs(w)));
  });
});

describe('the converted LogSoftmax head trains (cross-entropy: nn.NLLLoss on its log-probabilities)', () => {
  // torch_head_logsoftmax_last: y = LogSoftmax(Linear(h_n[-1])), y from ONNX Runtime. With labels c,
  // the loss before any step is −mean_b y[b, c_b] (NLLLoss on ONNX Runtime's log-probabilities); on
  // the CPU reference (float64) and on wasm (float32, the head on the host) the gradients agree, and
  // Adam steps lower the loss.
  const name = 'torch_head_logsoftmax_last';
  it.each(['cpu', 'wasm'] as const)('on %s', async (prefer) => {
    const c = JSON.parse(readFileSync(join(kDir, `${name}.json`), 'utf8')) as ExportCase;
    const { model, inputs } = modelFromOnnx(bytesOf(name));
    expect(model.config.head!.layers.map((l) => l.activation)).toEqual(['log_softmax']);
    const x = c.inputs[inputs.x];
    const [T, B] = [x.shape[0], x.shape[1]];
    const y = c.outputs.y;
    const O = y.shape[1];
    const labels = Array.from({ length: B }, (_, b) => (2 * b + 1) % O);
    const nll = -labels.reduce((s, label, b) => s + y.data[b * O + label], 0) / B;
    const backend = await createBackend({ prefer });
    const cpu = await (await createBackend({ prefer: 'cpu' })).train(model, { loss: 'cross-entropy' });
    const trainer = await backend.train(model, { loss: 'cross-entropy', optimizer: { kind: 'adam', lr: 0.05 } });
    try {
      const g = await trainer.gradients(x.data, labels, { steps: T, batch: B });
      expect(Math.abs(g.loss - nll)).toBeLessThan(1e-5 + 1e-5 * nll);
      const reference = await cpu.gradients(x.data, labels, { steps: T, batch: B });
      for (const [param, grad] of reference.grads) {
        const scale = Math.max(1, ...grad.data.map(Math.abs));
        const worst = Math.max(...grad.data.map((v, k) => Math.abs(g.grads.get(param)!.data[k] - v)));
        expect(worst / scale, param).toBeLessThan(1e-4);
      }
      const history = await trainer.fit(x.data, labels, { steps: T, batch: B, epochs: 20 });
      expect(history.loss[19]).toBeLessThan(0.5 * history.loss[0]);
    } finally {
      trainer.dispose();
      cpu.dispose();
      backend.dispose();
    }
  });
});

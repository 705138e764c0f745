import { readFileSync } from 'node:fs';
import { sliceAxis } from '../support/slice-axis.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, workFolder } from '../support/cli-in-process.js';
import { modelFromJSON } from '../../src/formats/model-json.js';
import { readLstmFile } from '../../src/api/model-files.js';

// `grad`, `train` and `run`'s prediction through the CLI's main() on the CPU backend, with the
// PyTorch-made training fixtures (test/fixtures/make_training_fixtures.py) as the expected values.

const { work, file } = workFolder('webgpu-lstm-train-cli-');
const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/training', `${name}.json`), 'utf8'));

describe('webgpu-lstm grad', () => {
  it('writes the loss and every gradient, matching PyTorch', async () => {
    const f = fixture('grad_bidir_last_lengths');
    const out = join(work, 'g.json');
    const { code, stdout } = await cli(['grad', '--model', file('m.json', f.model), '--input', file('d.json', f.input), '--backend', 'cpu', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/wrote .*g\.json: loss/);
    const g = JSON.parse(readFileSync(out, 'utf8'));
    expect(Math.abs(g.loss - f.gradients.loss)).toBeLessThan(1e-12);
    expect(Object.keys(g.grads)).toEqual(Object.keys(f.gradients.grads));
    for (const [name, expected] of Object.entries<{ shape: number[]; data: number[] }>(f.gradients.grads)) {
      expect(g.grads[name].shape).toEqual(expected.shape);
      g.grads[name].data.forEach((v: number, k: number) => expect(Math.abs(v - expected.data[k])).toBeLessThan(1e-12));
    }
  });

  it('refuses y of the wrong shape, naming both shapes', async () => {
    const f = fixture('grad_last_basic');
    const input = { ...f.input, y: { shape: [1, 3], data: f.input.y.data } };
    const { code, stderr } = await cli(['grad', '--model', file('m2.json', f.model), '--input', file('bad-y.json', input), '--backend', 'cpu']);
    expect(code).toBe(2);
    expect(stderr).toBe('webgpu-lstm: INVALID_SHAPE: y: expected shape [3, 1] for this model, x and --loss mse, got [1, 3]');
  });

  it('checks --runtime, and auto says on stderr where it trains (WebGPU on a hardware adapter, else the wasm engine)', async () => {
    const f = fixture('grad_last_basic');
    const args = ['grad', '--model', file('m3.json', f.model), '--input', file('d3.json', f.input)];
    const bad = await cli([...args, '--backend', 'webgpu', '--runtime', 'firefox']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('webgpu-lstm: INVALID_ARGUMENT: grad: --runtime expects dawn, chromium or auto, got "firefox"');
    const auto = await cli(args);
    expect(auto.code).toBe(0);
    expect(auto.stderr).toMatch(/auto(: training on WebGPU| runs on the wasm engine \(float32, on the CPU\))/);
    // float32 on WebGPU or wasm (test/dawn/train-cli.test.ts runs --backend webgpu itself).
    expect(Math.abs(JSON.parse(auto.stdout).loss - f.gradients.loss) / Math.abs(f.gradients.loss)).toBeLessThan(1e-4);
  });

  it('refuses a loss that does not fit the head', async () => {
    const f = fixture('grad_last_basic');
    const { code, stderr } = await cli(['grad', '--model', file('m4.json', f.model), '--input', file('d4.json', { ...f.input, y: { shape: [3], data: [0, 0, 0] } }), '--loss', 'cross-entropy', '--backend', 'cpu']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/INVALID_ARGUMENT: options.loss: "cross-entropy" needs the head's last dense layer to have activation "softmax" or "log_softmax", got a last dense layer with activation "linear"/);
  });
});

describe('webgpu-lstm train', () => {
  it('matches a PyTorch loop without shuffling, prints a line per epoch and writes a model that trains again', async () => {
    const f = fixture('fit_minibatches_validation');
    // The fixture holds out the last quarter; the CLI takes validation data from the file.
    const B = f.input.x.shape[1];
    const split = Math.ceil(B * (1 - f.fit.validationSplit));
    const take = sliceAxis;
    const data = {
      x: take(f.input.x, 1, 0, split),
      y: take(f.input.y, 0, 0, split),
      validation: { x: take(f.input.x, 1, split, B), y: take(f.input.y, 0, split, B) },
    };
    const out = join(work, 'trained.json');
    const args = ['train', '--model', file('fit-m.json', f.model), '--data', file('fit-d.json', data), '--epochs', String(f.fit.epochs)];
    const { code, stdout } = await cli([...args, '--batch-size', String(f.fit.batchSize), '--lr', '0.01', '--no-shuffle', '--backend', 'cpu', '--out', out]);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines).toHaveLength(f.fit.epochs + 1);
    lines.slice(0, -1).forEach((line, e) => {
      const match = /^epoch (\d+)\/3  loss (\S+)  val loss (\S+)  \d+\.\d\d s$/.exec(line)!;
      expect(match, line).not.toBeNull();
      expect(Number(match[2])).toBeCloseTo(f.expected.history.loss[e], 5);
      expect(Number(match[3])).toBeCloseTo(f.expected.history.valLoss[e], 5);
    });
    const trained = modelFromJSON(JSON.parse(readFileSync(out, 'utf8')));
    for (const [name, expected] of Object.entries<{ data: number[] }>(f.expected.params)) {
      trained.param(name).forEach((v, k) => expect(Math.abs(v - expected.data[k])).toBeLessThan(1e-10));
    }
    const again = await cli(['train', '--model', out, '--data', file('fit-d2.json', data), '--epochs', '1', '--batch-size', '6', '--backend', 'cpu', '--optimizer', 'sgd', '--momentum', '0.9', '--clip-norm', '1', '--out', join(work, 'again.json')]);
    expect(again.code).toBe(0);
  });

  it('writes the trained model in the format --out names (.onnx is ONNX, not JSON under that name)', async () => {
    const f = fixture('fit_minibatches_validation');
    const out = join(work, 'trained.onnx');
    const args = ['train', '--model', file('fit-onnx-m.json', f.model), '--data', file('fit-onnx-d.json', { x: f.input.x, y: f.input.y }), '--epochs', '1', '--batch-size', '4', '--backend', 'cpu'];
    const { code, stdout } = await cli([...args, '--out', out]);
    expect(code).toBe(0);
    expect(stdout.split('\n').at(-1)).toBe(`wrote ${out} (onnx)`);
    const asJson = join(work, 'trained-too.json');
    expect((await cli([...args, '--out', asJson])).code).toBe(0);
    const fromOnnx = readLstmFile({ path: out, bytes: new Uint8Array(readFileSync(out)), readSibling: () => new Uint8Array() })!;
    const fromJson = modelFromJSON(JSON.parse(readFileSync(asJson, 'utf8')));
    // ONNX stores float32: the same trained weights to float32 rounding.
    for (const name of ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0']) fromJson.param(name).forEach((v, k) => expect(Math.abs(fromOnnx.param(name)[k] - v)).toBeLessThan(1e-6 * (1 + Math.abs(v))));
    expect((await cli([...args, '--out', join(work, 'trained.bin')])).stderr).toBe(`webgpu-lstm: INVALID_ARGUMENT: train: cannot tell the output format from ${JSON.stringify(join(work, 'trained.bin'))}; give --to (json, tfjs, h5, keras, onnx, safetensors)`);
  });

  it('refuses bad flags before reading any file', async () => {
    const base = ['train', '--model', 'no-such.json', '--data', 'no-such.json', '--out', join(work, 'x.json')];
    expect((await cli([...base, '--epochs', '0', '--batch-size', '2'])).stderr).toBe('webgpu-lstm: INVALID_ARGUMENT: train: --epochs expects an integer ≥ 1, got "0"');
    expect((await cli([...base, '--epochs', '1', '--batch-size', '0'])).stderr).toBe('webgpu-lstm: INVALID_ARGUMENT: train: --batch-size expects an integer ≥ 1, got "0"');
    expect((await cli([...base, '--epochs', '1', '--batch-size', '2', '--lr', '0'])).stderr).toBe('webgpu-lstm: INVALID_ARGUMENT: train: --lr expects a positive number, got "0"');
    expect((await cli([...base, '--epochs', '1', '--batch-size', '2', '--optimizer', 'rmsprop'])).stderr).toBe('webgpu-lstm: INVALID_ARGUMENT: train: --optimizer expects adam or sgd, got "rmsprop"');
  });
});

describe('webgpu-lstm run with a head', () => {
  it('writes "prediction" beside output, h_n and c_n', async () => {
    const f = fixture('grad_seq_batch_first');
    const out = join(work, 'r.json');
    const { code } = await cli(['run', '--model', file('run-m.json', f.model), '--input', file('run-x.json', { x: f.input.x }), '--backend', 'cpu', '--out', out]);
    expect(code).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.prediction.shape).toEqual(f.gradients.prediction.shape);
    result.prediction.data.forEach((v: number, k: number) => expect(Math.abs(v - f.gradients.prediction.data[k])).toBeLessThan(1e-12));
  });
});

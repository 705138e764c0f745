import { execFile } from 'node:child_process';
import { sliceAxis } from '../support/slice-axis.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadTorchCase, maxAbsDiff } from '../support/fixtures.js';

// --backend wasm on every command that takes --backend, against PyTorch's values (test/fixtures),
// and --backend auto where no WebGPU opens: the wasm engine, said on stderr. The built dist/cli.js
// as a shell runs it; test/dawn/cli-wasm.test.ts has auto over a software adapter.

const kCli = resolve(__dirname, '../../dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'webgpu-lstm-cli-wasm-'));
const training = (name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/training', `${name}.json`), 'utf8'));
const file = (name: string, content: unknown) => {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
/** No WebGPU anywhere: no Vulkan driver for Dawn, no browser for Chromium. */
const kNoWebgpu = { VK_ICD_FILENAMES: '/nonexistent/icd.json', CHROME_PATH: '/nonexistent/chrome', WEBGPU_LSTM_CHROME: '' };

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [kCli, ...args], { env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('run and verify --backend wasm', () => {
  it('run: PyTorch\'s output, h_n and c_n within 1e-5, backend "wasm" with no adapter, nothing on stderr', async () => {
    const c = loadTorchCase('batch_first');
    const { code, stdout, stderr } = await cli(['run', '--model', c.path, '--input', c.path, '--backend', 'wasm']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ backend: 'wasm', adapter: null, runtime: null, driver: null });
    expect(result.reason).toMatch(/^the wasm backend was requested; \d+ threads?/);
    for (const [part, expected] of [['output', c.expected.output], ['h_n', c.expected.hN], ['c_n', c.expected.cN]] as const) {
      expect(result[part].shape).toEqual(expected.shape);
      expect(maxAbsDiff(result[part].data, expected.data), part).toBeLessThanOrEqual(1e-5);
    }
  });

  it('run --backend auto without any WebGPU: the wasm engine, with one note on stderr saying why', async () => {
    const c = loadTorchCase('batch1_long');
    const { code, stdout, stderr } = await cli(['run', '--model', c.path, '--input', c.path, '--backend', 'auto'], kNoWebgpu);
    expect(code).toBe(0);
    // The Vulkan loader's own warnings about the missing driver may come first; the CLI says one thing.
    const notes = stderr.split('\n').filter((l) => l.startsWith('webgpu-lstm:'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^webgpu-lstm: note: --backend auto runs on the wasm engine \(float32, on the CPU\): Dawn is unavailable .*Chromium is unavailable .*\/nonexistent\/chrome/);
    const result = JSON.parse(stdout);
    expect(result.backend).toBe('wasm');
    expect(maxAbsDiff(result.output.data, c.expected.output.data)).toBeLessThanOrEqual(1e-5);
  });

  it('verify --backend wasm: judged against the float64 reference, PASS, exit 0; a backend it cannot judge is refused', async () => {
    const c = loadTorchCase('three_layer_bidir');
    const { code, stdout } = await cli(['verify', '--model', c.path, '--input', c.path, '--backend', 'wasm']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^engine: wasm \(float32, on the CPU\): \d+ threads?/);
    expect(stdout).toMatch(/^PASS: max abs error \S+ \(tolerance \|wasm − cpu\| ≤ 0\.00001 \+ 0\.00001·\|cpu\|\)$/m);
    const bad = await cli(['verify', '--model', c.path, '--input', c.path, '--backend', 'cpu']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/verify: --backend expects webgpu or wasm \(the backend judged against the float64 reference\), got "cpu"/);
  });
});

describe('grad, train and forecast --backend wasm', () => {
  it('grad: PyTorch\'s loss and gradients (float32)', async () => {
    const f = training('grad_last_basic');
    const { code, stdout, stderr } = await cli(['grad', '--model', file('g-m.json', f.model), '--input', file('g-d.json', f.input), '--backend', 'wasm']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Math.abs(result.loss - f.gradients.loss) / Math.abs(f.gradients.loss)).toBeLessThan(1e-5);
    for (const [name, expected] of Object.entries<{ data: number[] }>(f.gradients.grads)) {
      expect(maxAbsDiff(result.grads[name].data, expected.data), name).toBeLessThan(1e-5);
    }
  });

  it('train: PyTorch\'s losses and validation losses epoch by epoch (float32)', async () => {
    const f = training('fit_minibatches_validation');
    // The fixture holds out the last quarter of the batch axis; the CLI takes it from the file.
    const B = f.input.x.shape[1];
    const split = Math.ceil(B * (1 - f.fit.validationSplit));
    const take = sliceAxis;
    const data = { x: take(f.input.x, 1, 0, split), y: take(f.input.y, 0, 0, split), validation: { x: take(f.input.x, 1, split, B), y: take(f.input.y, 0, split, B) } };
    const args = ['train', '--model', file('t-m.json', f.model), '--data', file('t-d.json', data), '--epochs', String(f.fit.epochs), '--batch-size', String(f.fit.batchSize), '--lr', '0.01', '--no-shuffle'];
    const { code, stdout, stderr } = await cli([...args, '--backend', 'wasm', '--out', join(work, 't-out.json')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const epochs = stdout.split('\n').filter((l) => l.startsWith('epoch ')).map((l) => /loss (\S+)  val loss (\S+)/.exec(l)!.slice(1).map(Number));
    expect(epochs).toHaveLength(f.fit.epochs);
    epochs.forEach(([loss, valLoss], e) => {
      expect(Math.abs(loss - f.expected.history.loss[e]) / f.expected.history.loss[e], `epoch ${e + 1} loss`).toBeLessThan(1e-4);
      expect(Math.abs(valLoss - f.expected.history.valLoss[e]) / f.expected.history.valLoss[e], `epoch ${e + 1} val loss`).toBeLessThan(1e-4);
    });
  });

  it('forecast: trains on the wasm engine and says so; RMSEs as the float64 reference\'s to float32 precision', async () => {
    const run = async (backend: string) => {
      const out: string[] = [];
      const code = await main(['forecast', '--units', '4', '--epochs', '2', '--batch-size', '8', '--backend', backend, '--json'], (l) => out.push(l), () => {});
      expect(code).toBe(0);
      return JSON.parse(out.join('\n'));
    };
    const [wasm, cpu] = [await run('wasm'), await run('cpu')];
    expect(wasm.backend).toBe('wasm');
    expect(Math.abs(wasm.test_rmse - cpu.test_rmse) / cpu.test_rmse).toBeLessThan(1e-3);
  });
});

describe('run and verify --backend wasm on a TensorFlow.js model (its LSTMs on the wasm engine, the layers between on the host)', () => {
  const tfjs = (name: string) => join(__dirname, '../fixtures/tfjs', name);
  const inProcess = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };

  it('run: TensorFlow.js\'s prediction, every LSTM layer placed on wasm; verify: PASS', async () => {
    const io = JSON.parse(readFileSync(tfjs('masking/io.json'), 'utf8'));
    const x = file('tfjs-x.json', { x: io.input });
    const run = await inProcess(['run', '--model', tfjs('masking/model.json'), '--input', x, '--backend', 'wasm']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.backend).toBe('wasm');
    expect(report.placement.every((p: { backend: string }) => p.backend === 'wasm')).toBe(true);
    expect(maxAbsDiff(report.prediction.data, io.expected.data)).toBeLessThan(1e-5);
    const verify = await inProcess(['verify', '--model', tfjs('masking/model.json'), '--input', x, '--backend', 'wasm']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^PASS: prediction max abs error \S+ \(tolerance \|wasm − cpu\|/m);
  });
});

describe('--threads and ONNX files on the wasm engine; info describes it', () => {
  const onnxDir = join(__dirname, '../fixtures/onnx');

  it('run --model m.onnx --backend wasm: the LSTM node on the wasm engine, ONNX\'s outputs (NumPy float64) to float32 precision', async () => {
    const expected = JSON.parse(readFileSync(join(onnxDir, 'node_bidirectional.json'), 'utf8'));
    const input = file('onnx-feeds.json', expected.inputs);
    const { code, stdout, stderr } = await cli(['run', '--model', join(onnxDir, 'node_bidirectional.onnx'), '--input', input, '--backend', 'wasm', '--threads', '2']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.backend).toBe('wasm');
    expect(report.reason).toMatch(/^the wasm backend was requested; 2 threads/);
    expect(report.placement.backend).toHaveLength(1);
    for (const [name, t] of Object.entries<{ shape: number[]; data: number[] }>(expected.outputs)) {
      expect(report[name].shape, name).toEqual(t.shape);
      expect(maxAbsDiff(report[name].data, t.data), name).toBeLessThan(1e-5);
    }
  });

  it('--threads sets the engine\'s threads on run, verify and grad; a count out of range, or a backend without threads, is refused', async () => {
    const c = loadTorchCase('batch_first');
    const run = await cli(['run', '--model', c.path, '--input', c.path, '--backend', 'wasm', '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).reason).toMatch(/^the wasm backend was requested; 1 thread \(1 requested\)/);
    const verify = await cli(['verify', '--model', c.path, '--input', c.path, '--backend', 'wasm', '--threads', '2']);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^engine: wasm \(float32, on the CPU\): 2 threads/m);
    const f = training('grad_last_basic');
    const grad = await cli(['grad', '--model', file('th-m.json', f.model), '--input', file('th-d.json', f.input), '--backend', 'wasm', '--threads', '1']);
    expect(grad.code, grad.stderr).toBe(0);
    expect(Math.abs(JSON.parse(grad.stdout).loss - f.gradients.loss) / Math.abs(f.gradients.loss)).toBeLessThan(1e-5);
    const refusals: [string[], RegExp][] = [
      [['--backend', 'cpu', '--threads', '2'], /run: --threads sets the wasm engine's threads, and --backend cpu does not run it \(use --backend wasm or auto\)/],
      [['--backend', 'wasm', '--threads', '0'], /run: --threads expects an integer from 1 to 64 \(the wasm engine's threads, this one included\), got "0"/],
      [['--backend', 'wasm', '--threads', '2,4'], /run: --threads expects an integer from 1 to 64 .*got "2,4"/],
    ];
    for (const [flags, message] of refusals) {
      const bad = await cli(['run', '--model', c.path, '--input', c.path, ...flags]);
      expect(bad.code, flags.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(message);
    }
    const verifyGpu = await cli(['verify', '--model', c.path, '--input', c.path, '--threads', '2']);
    expect(verifyGpu.code).toBe(2);
    expect(verifyGpu.stderr).toMatch(/verify: --threads sets the wasm engine's threads, and --backend webgpu does not run it/);
  });

  it('info without any WebGPU: exit 0, why there is none, and the wasm engine (threads, build)', async () => {
    const { code, stdout } = await cli(['info'], kNoWebgpu);
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(info).toMatchObject({ runtime: null, webgpu: null, wasm: { available: true, threads: expect.any(Number), threadsReason: expect.any(String) } });
    expect(info.reason).toMatch(/^no WebGPU here: Dawn: .*\/nonexistent\/icd\.json.*; headless Chromium: .*\/nonexistent\/chrome/);
    expect(info.wasm.reason).toMatch(/^the wasm backend was requested; \d+ threads? .*, (relaxed|simd)\w* build$/);
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kTorchCasesDir } from '../support/fixtures.js';

const kCli = resolve(__dirname, '../../dist/cli.js');
const kExamples = resolve(__dirname, '../../examples');
const seed004 = join(kTorchCasesDir, 'seed004_scalar.json');
const work = mkdtempSync(join(tmpdir(), 'webgpu-lstm-cli-'));

/**
 * Runs the built CLI as a user would, returning its exit code and output. This file tests the
 * headless-Chromium runtime, so run, verify and info get `--runtime chromium` unless a test names
 * one (test/dawn/cli.test.ts tests Dawn, the default where it finds an adapter).
 */
async function cli(args: string[], env: Record<string, string> = {}) {
  const usesRuntime = ['run', 'verify', 'info'].includes(args[0]) && !args.includes('--runtime');
  const full = usesRuntime ? [...args, '--runtime', 'chromium'] : args;
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [kCli, ...full], { env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Seed 004's hidden states (its printed table) and the counters a T = 3, one-layer call must report.
const kSeed004Hidden = ['0.2564', '0.6398', '0.8707'];

describe('webgpu-lstm CLI, end to end', () => {
  it.each(['cpu', 'webgpu'])('run --backend %s reproduces seed 004 and reports backend and counters', async (backend) => {
    const out = join(work, `seed004-${backend}.json`);
    const { code, stderr } = await cli(['run', '--model', seed004, '--input', seed004, '--backend', backend, '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.output.shape).toEqual([3, 1, 1]);
    expect(result.output.data.map((v: number) => v.toFixed(4))).toEqual(kSeed004Hidden);
    expect((4 * result.h_n.data[0]).toFixed(4)).toBe('3.4827');
    expect(result.c_n.data[0].toFixed(4)).toBe('1.6721');
    expect(result.backend).toBe(backend);
    if (backend === 'webgpu') {
      // The persistent path: one projection and one sequence dispatch for the one layer and direction.
      expect(result.stats).toEqual({ dispatches: 2, submits: 1, readbacks: 1, nonFiniteOutputs: 0 });
      expect(result.adapter.architecture).toBeTruthy();
      expect(result.browser).toMatch(/Chrome/);
    }
  });

  it('run --backend webgpu --trace writes the GPU trace and prints the table', async () => {
    const out = join(work, 'seed004-trace.json');
    const { code, stderr } = await cli(['run', '--model', seed004, '--input', seed004, '--backend', 'webgpu', '--trace', '--out', out]);
    expect(code).toBe(0);
    const trace = JSON.parse(readFileSync(out, 'utf8')).trace;
    expect(trace[0].h.shape).toEqual([3, 1, 1]);
    expect(trace[0].h.data.map((v: number) => v.toFixed(4))).toEqual(kSeed004Hidden);
    const rows = stderr.trim().split('\n').slice(2).map((line) => line.trim().split(/\s+/));
    expect(rows.map((r) => r.at(-1))).toEqual(kSeed004Hidden);
  });

  it('warns when finite inputs give non-finite results (float32 overflow), and the CPU does not overflow', async () => {
    const cancellation = resolve(__dirname, '../fixtures/pytorch/cancellation.json');
    const gpu = await cli(['run', '--model', cancellation, '--input', cancellation, '--backend', 'webgpu']);
    expect(gpu.code).toBe(0);
    const count = JSON.parse(gpu.stdout).stats.nonFiniteOutputs;
    expect(count).toBeGreaterThan(0);
    expect(gpu.stderr.trim().split('\n')).toEqual([
      `webgpu-lstm: warning: ${count} values of output, h_n and c_n are NaN or ±Infinity although every input and weight is finite: float32 on the GPU overflowed (|W x + b| beyond 3.4e38?)`,
    ]);
    const verify = await cli(['verify', '--model', cancellation, '--input', cancellation]);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain(`webgpu-lstm: warning: ${count} values`);
    const cpu = await cli(['run', '--model', cancellation, '--input', cancellation, '--backend', 'cpu']);
    expect(cpu.stderr).toBe('');
    expect(JSON.parse(cpu.stdout).stats.nonFiniteOutputs).toBe(0);
  });

  it('verify passes on the example model and prints errors and counters', async () => {
    const { code, stdout } = await cli(['verify', '--model', join(kExamples, 'model.json'), '--input', join(kExamples, 'input.json')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^output\s+max abs \d/m);
    expect(stdout).toContain('8 dispatches, 1 submit, 1 readback'); // 2 layers × 2 directions × (projection + sequence)
    expect(stdout).toMatch(/^PASS: max abs error/m);
  });

  it('verify exits 1 when the errors exceed the tolerance', async () => {
    const { code, stdout } = await cli(['verify', '--model', join(kExamples, 'model.json'), '--input', join(kExamples, 'input.json'), '--atol', '0', '--rtol', '0']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL: max abs error/m);
  });

  it('info prints the adapter', async () => {
    const { code, stdout } = await cli(['info']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ vendor: expect.any(String), architecture: expect.any(String), browser: expect.stringMatching(/Chrome/) });
  });

  it('a missing browser is a one-line error for --backend webgpu, and a stated fallback for auto', async () => {
    const env = { WEBGPU_LSTM_CHROME: '', CHROME_PATH: '/nonexistent/chrome' };
    const webgpu = await cli(['run', '--model', seed004, '--input', seed004, '--backend', 'webgpu'], env);
    expect(webgpu.code).toBe(3);
    expect(webgpu.stderr.trim().split('\n')).toEqual([
      'webgpu-lstm: BACKEND_UNAVAILABLE: CHROME_PATH=/nonexistent/chrome: no such file; point it at a Chrome or Chromium binary',
    ]);
    const auto = await cli(['run', '--model', seed004, '--input', seed004, '--backend', 'auto'], env);
    expect(auto.code).toBe(0);
    const result = JSON.parse(auto.stdout);
    expect(result.backend).toBe('wasm');
    expect(result.reason).toMatch(/^auto: the wasm engine, because .*CHROME_PATH=\/nonexistent\/chrome/);
    // Never a silent move off WebGPU: it is said on stderr as well.
    const notes = auto.stderr.trim().split('\n').filter((line) => line.startsWith('webgpu-lstm'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^webgpu-lstm: note: --backend auto runs on the wasm engine \(float32, on the CPU\): .*CHROME_PATH=\/nonexistent\/chrome: no such file/);
  });

  it('malformed files and flags give one readable line and exit 2, never a stack trace', async () => {
    const broken = join(work, 'broken.json');
    writeFileSync(broken, '{"config": {"input_size": 1,');
    const cases: [string[], string][] = [
      [['run', '--model', broken, '--input', seed004], 'not valid JSON'],
      [['run', '--model', join(work, 'missing.json'), '--input', seed004], 'cannot read the file (ENOENT)'],
      [['run', '--model', seed004, '--input', seed004, '--backend', 'gpu'], "--backend expects cpu, wasm, webgpu or auto"],
      [['run', '--model', join(kExamples, 'model.json')], '--input is required: the --model file'],
      [['frobnicate'], 'unknown command "frobnicate"'],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await cli(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(stderr).toContain(message);
      expect(stderr).not.toMatch(/\bat .*:\d+:\d+/);
    }
  });
});

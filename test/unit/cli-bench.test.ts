import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { modelToJSON } from '../../src/formats/model-json.js';
import { LSTM } from '../../src/model/lstm.js';

// `webgpu-lstm bench` as a user's shell runs it: the built dist/cli.js (vitest's global setup
// builds it), on the engines that need no GPU (test/dawn/cli-bench.test.ts adds WebGPU).

const kCli = resolve(__dirname, '../../dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'webgpu-lstm-cli-bench-'));

async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [kCli, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('webgpu-lstm bench', () => {
  it('--json: every row verified against the float64 reference, then timed; the crossover says why there is none without WebGPU', async () => {
    const { code, stdout, stderr } = await cli(['bench', '--shapes', '1,5,4,8 3,5,4,8', '--engines', 'wasm,cpu', '--threads', '1,2', '--reps', '3', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.engines.map((e: { id: string }) => e.id)).toEqual(['wasm-1t', 'wasm-2t', 'cpu']);
    expect(result.rows.map((r: { id: string; shape: { batch: number } }) => `${r.shape.batch} ${r.id}`)).toEqual(['1 wasm-1t', '1 wasm-2t', '1 cpu', '3 wasm-1t', '3 wasm-2t', '3 cpu']);
    for (const row of result.rows) {
      expect(row.status).toBe('ok');
      expect(row.timesMs).toHaveLength(3);
      expect(row.shape).toMatchObject({ steps: 5, inputSize: 4, hiddenSize: 8, layers: 1 });
      expect(row.verified.passed).toBe(true);
      expect(row.verified.maxAbs).toBeLessThanOrEqual(1e-5);
      expect(row.medianMs).toBeGreaterThan(0);
    }
    expect(result.protocol).toMatchObject({ reps: 3, warmupRuns: 1, interleaved: true, tolerance: { atol: 1e-5, rtol: 1e-5 } });
    expect(result.crossover.summary).toMatch(/^no GPU\/CPU comparison: at \(T, I, H\) = \(5, 4, 8\): WebGPU was not timed/);
  });

  it('prints the engines, a table and the crossover for the user\'s model; WebGPU asked for where it cannot open is absent with the reason', async () => {
    const path = join(work, 'model.json');
    writeFileSync(path, JSON.stringify(modelToJSON(LSTM.random({ inputSize: 3, hiddenSize: 6, numLayers: 2, seed: 5 }))));
    // No Vulkan driver and no browser: WebGPU cannot open anywhere.
    const { code, stdout } = await promisify(execFile)(process.execPath, [kCli, 'bench', '--model', path, '--shapes', '2,4', '--engines', 'webgpu,wasm', '--threads', '1', '--reps', '2', '--runtime', 'chromium'], {
      env: { ...process.env, CHROME_PATH: '/nonexistent/chrome', WEBGPU_LSTM_CHROME: '' },
    }).then((r) => ({ code: 0, ...r }));
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^webgpu {3}absent: BACKEND_UNAVAILABLE: .*\/nonexistent\/chrome/);
    expect(lines[1]).toMatch(/^wasm-1t {2}the wasm backend was requested; 1 thread/);
    expect(stdout).toMatch(/^shape \(B,T,I,H\) +engine +median +min +max +GFLOP\/s +max \|err\| +status$/m);
    expect(stdout).toMatch(/^\(2,4,3,6\) 2 layers +webgpu +— +— +— +— +— +absent$/m);
    expect(stdout).toMatch(/^\(2,4,3,6\) 2 layers +wasm, 1 thread +[\d.]+ ms +[\d.]+ ms +[\d.]+ ms +[\d.]+ +\d\.\de-\d +ok \(2 runs\)$/m);
    expect(lines.at(-2)).toMatch(/^no GPU\/CPU comparison: at \(T, I, H\) = \(4, 3, 6\) \(2 layers\): WebGPU was not timed \(absent: BACKEND_UNAVAILABLE/);
  });

  it('refuses bad flags with exit 2, naming the flag', async () => {
    const shapes = await cli(['bench', '--shapes', '1,2,3']);
    expect(shapes.code).toBe(2);
    expect(shapes.stderr).toMatch(/^webgpu-lstm: INVALID_ARGUMENT: bench: --shapes: "1,2,3" is not B,T,I,H with positive integers/);
    const engines = await cli(['bench', '--engines', 'gpu']);
    expect(engines.stderr).toMatch(/bench: --engines expects a comma-separated list of webgpu, wasm, cpu, got "gpu"/);
    const threads = await cli(['bench', '--threads', '0']);
    expect(threads.stderr).toMatch(/bench: --threads expects thread counts from 1 to 64/);
    expect((await cli(['bench', '--reps', '0'])).stderr).toMatch(/bench: --reps expects an integer from 1 to 1000, got "0"/);
    expect((await cli(['bench', '--budget', '-1'])).stderr).toMatch(/bench: --budget expects a positive number of seconds, got "-1"/);
  });
});

import './dawn-env.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { referenceResult } from '../../src/api/runner.js';
import { modelToJSON } from '../../src/formats/model-json.js';
import { LSTM } from '../../src/model/lstm.js';
import { loadTorchCase, maxAbsDiff, torchCaseNames } from '../support/fixtures.js';
import { dawnEnv, kRepoRoot } from './dawn-env.js';

const kCli = join(kRepoRoot, 'dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'webgpu-lstm-dawn-cli-'));
/** Same bounds as test/gpu/torch-cases.test.ts: 1e-5, and the float32 floor for `extreme`. */
const kTolerance: Record<string, number> = { extreme: 2e-3 };

/** No browser can start under this environment: a Chromium launch would fail the call. */
const kNoBrowser = { CHROME_PATH: '/nonexistent/chrome', WEBGPU_LSTM_CHROME: '' };

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [kCli, ...args], { env: dawnEnv(env), maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function runFixture(name: string, runtime: 'dawn' | 'chromium', env: Record<string, string> = {}) {
  const c = loadTorchCase(name);
  const out = join(work, `${name}-${runtime}.json`);
  const { code, stderr } = await cli(['run', '--model', c.path, '--input', c.path, '--backend', 'webgpu', '--runtime', runtime, '--out', out], env);
  expect(stderr, `${name} on ${runtime}`).toBe('');
  expect(code).toBe(0);
  return { c, result: JSON.parse(readFileSync(out, 'utf8')) };
}

describe('webgpu-lstm run --backend webgpu --runtime dawn', () => {
  it.each(torchCaseNames())('%s: passes the fixture with no browser, and counts as Chromium does', async (name) => {
    const { c, result } = await runFixture(name, 'dawn', kNoBrowser);
    for (const [part, expected] of [['output', c.expected.output], ['h_n', c.expected.hN], ['c_n', c.expected.cN]] as const) {
      expect(result[part].shape, part).toEqual(expected.shape);
      expect(maxAbsDiff(result[part].data, expected.data), `${part} max abs error`).toBeLessThanOrEqual(kTolerance[name] ?? 1e-5);
    }
    expect(result.backend).toBe('webgpu');
    expect(result.runtime).toBe('dawn');
    expect(result.browser).toBeNull();
    expect(result.adapter.architecture).toBeTruthy();
    expect(result.driver).toBe(result.adapter.description);
    expect(result.reason).toMatch(/^the WebGPU backend was requested; runtime 'dawn' was requested on (the Vulkan driver named by VK_ICD_FILENAMES=\S+|the system's Vulkan driver), ".+"$/);
    const chromium = await runFixture(name, 'chromium');
    expect(chromium.result.runtime).toBe('chromium');
    expect(result.stats).toEqual(chromium.result.stats);
  });

  it('info --runtime dawn names the adapter, its driver and limits; verify --runtime dawn passes', async () => {
    const info = await cli(['info', '--runtime', 'dawn'], kNoBrowser);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ runtime: 'dawn', vendor: expect.any(String), description: expect.any(String), limits: { maxBufferSize: expect.any(Number) } });
    const seed004 = loadTorchCase('seed004_scalar').path;
    const verify = await cli(['verify', '--model', seed004, '--input', seed004, '--runtime', 'dawn'], kNoBrowser);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^adapter: .*; Dawn in Node/m);
    expect(verify.stdout).toMatch(/^PASS: max abs error/m);
  });

  it('a bad --runtime is one line and exit 2; Dawn without a driver is BACKEND_UNAVAILABLE saying how to get one', async () => {
    const seed004 = loadTorchCase('seed004_scalar').path;
    const bad = await cli(['run', '--model', seed004, '--input', seed004, '--runtime', 'vulkan']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('webgpu-lstm: INVALID_ARGUMENT: run: --runtime expects dawn, chromium or auto, got "vulkan"');
    const noDriver = await cli(['run', '--model', seed004, '--input', seed004, '--backend', 'webgpu', '--runtime', 'dawn'], { VK_ICD_FILENAMES: '/nonexistent/icd.json' });
    expect(noDriver.code).toBe(3);
    expect(noDriver.stderr).toMatch(/^webgpu-lstm: BACKEND_UNAVAILABLE: Dawn found no WebGPU adapter: VK_ICD_FILENAMES names files that do not exist: \/nonexistent\/icd.json; .*VK_ICD_FILENAMES=/m);
  });
});

describe('a model with a dense head, on every runtime of the CLI', () => {
  // The prediction is part of the result on every runtime, and verify compares it (it once did not,
  // and the Chromium runtime dropped it without an error).
  const model = LSTM.random({ inputSize: 3, hiddenSize: 4, head: { layers: [{ outFeatures: 2, activation: 'sigmoid' }] }, seed: 5 });
  const x = Array.from({ length: 4 * 2 * 3 }, (_, i) => Math.sin(i));
  const file = join(work, 'head-model.json');
  writeFileSync(file, JSON.stringify({ ...modelToJSON(model), x: { shape: [4, 2, 3], data: x } }));
  const expected = referenceResult(model, x, { steps: 4, batch: 2 }).prediction!;

  it.each(['dawn', 'chromium'] as const)("run --runtime %s writes the prediction, and verify compares it", async (runtime) => {
    const out = join(work, `head-${runtime}.json`);
    const run = await cli(['run', '--model', file, '--backend', 'webgpu', '--runtime', runtime, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.prediction.shape).toEqual([2, 2]);
    expect(maxAbsDiff(result.prediction.data, expected.data)).toBeLessThanOrEqual(1e-5);
    const verify = await cli(['verify', '--model', file, '--runtime', runtime]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^prediction\s+max abs \d\.\d+e[-+]\d+ +max rel .* outside tolerance 0/m);
  });
});

describe('every fall back is said on stderr, by every command', () => {
  // Dawn given a driver that does not exist: runtime auto falls back to headless Chromium.
  const kNoDawn = { VK_ICD_FILENAMES: '/nonexistent/icd.json' };
  const seed004 = () => loadTorchCase('seed004_scalar').path;
  const kNote = /^webgpu-lstm: note: the WebGPU backend was requested; runtime auto: Dawn is unavailable \(Dawn found no WebGPU adapter: VK_ICD_FILENAMES names files that do not exist: \/nonexistent\/icd.json;.*\), so headless Chromium runs it \(.*Chrome.*\)$/m;

  it.each(['verify', 'run'])('%s under --runtime auto says it fell back from Dawn to Chromium', async (command) => {
    const out = join(work, `fallback-${command}.json`);
    const result = await cli([command, '--model', seed004(), '--input', seed004(), ...(command === 'run' ? ['--backend', 'webgpu', '--out', out] : [])], kNoDawn);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(kNote);
  });
});

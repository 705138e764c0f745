import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kTorchCasesDir } from '../support/fixtures.js';

// Untrusted files through the built CLI (vitest's global setup builds dist/): every bad file is one
// readable line on stderr naming the code and the place, exit code 2, never a stack trace. The
// CPU backend keeps these tests free of the browser; test/gpu/cli.test.ts covers the WebGPU runs.

const kCli = resolve(__dirname, '../../dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'webgpu-lstm-cli-errors-'));
const seed004Text = readFileSync(join(kTorchCasesDir, 'seed004_scalar.json'), 'utf8');
const seed004 = join(work, 'seed004.json');
writeFileSync(seed004, seed004Text);

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

/** The seed 004 file with its text edited (the edits are plain text: files are what users hand in). */
function edited(name: string, from: string | RegExp, to: string): string {
  const text = seed004Text.replace(from, to);
  expect(text, `${name}: the edit applies`).not.toBe(seed004Text);
  return file(name, text);
}

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [kCli, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const run = (model: string, input = model, ...more: string[]) => ['run', '--backend', 'cpu', '--model', model, '--input', input, ...more];

const kCases: [string, () => string[], string][] = [
  ['empty file', () => run(file('empty.json', '')), 'INVALID_ARGUMENT: --model'],
  ['NaN literal (not JSON)', () => run(edited('nan.json', '[1.0,2.0,3.0]', '[1.0,NaN,3.0]')), 'not valid JSON'],
  ['a string where a number belongs', () => run(edited('string.json', '"data":[0.6,', '"data":["0.6",')), 'INVALID_PARAMETER: weight_ih_l0.data[0]: expected a number, got "0.6"'],
  ['null in x', () => run(edited('null.json', '[1.0,2.0,3.0]', '[1.0,null,3.0]')), 'INVALID_SHAPE: x.data[1]: expected a number, got null'],
  ['1e999 (Infinity) in x', () => run(edited('inf-x.json', '[1.0,2.0,3.0]', '[1.0,2.0,1e999]')), 'NON_FINITE: x at t=2, b=0, i=0 (flat index 2) is Infinity'],
  ['1e999 in a weight', () => run(edited('inf-w.json', '[0.2,0.1,0.3,0.4]', '[0.2,-1e999,0.3,0.4]')), 'NON_FINITE: weight_hh_l0 at row=1, column=0 (flat index 1) is -Infinity'],
  ['a top-level array', () => run(file('array.json', '[1, 2]')), 'INVALID_ARGUMENT: model: expected a JSON object, got [1, 2]'],
  ['no config', () => run(edited('no-config.json', /"config":\{[^}]*\},/, '')), 'INVALID_ARGUMENT: model: missing "config"'],
  ['params not an object', () => run(edited('params-list.json', /"params":\{.*\}\},"x"/, '"params":[1,2],"x"')), 'INVALID_PARAMETER: params: expected an object of named tensors, got [1, 2]'],
  ['an unknown parameter', () => run(edited('unknown.json', '"bias_hh_l0"', '"bias_hh_l9"')), 'INVALID_PARAMETER: params: unknown parameter "bias_hh_l9"'],
  ['a parameter of the wrong shape', () => run(edited('shape.json', '"weight_hh_l0":{"shape":[4,1]', '"weight_hh_l0":{"shape":[1,4]')), 'INVALID_PARAMETER: weight_hh_l0: expected shape [4, 1], got [1, 4]'],
  ['a __proto__ key', () => run(edited('proto.json', '{"config"', '{"__proto__":{"x":1},"config"')), 'INVALID_ARGUMENT: model: unknown top-level key "__proto__"'],
  ['x with the wrong input size', () => run(edited('x-shape.json', '"shape":[3,1,1],"data":[1.0,2.0,3.0]', '"shape":[3,1,2],"data":[1,2,3,4,5,6]')), 'INVALID_SHAPE: x: expected shape [T, B, I] with T ≥ 1, B ≥ 1 and I = 1, got [3, 1, 2]'],
  ['a bad length', () => run(edited('lengths.json', /\}\}\s*$/, '},"lengths":[4]}')), 'INVALID_ARGUMENT: lengths[0]: expected an integer in [1, 3], got 4'],
  ['a length written as a string', () => run(edited('lengths-string.json', /\}\}\s*$/, '},"lengths":["3"]}')), 'INVALID_ARGUMENT: lengths[0]: expected an integer in [1, 3], got "3"'],
  ['x with no time steps', () => run(edited('x-empty.json', '"shape":[3,1,1],"data":[1.0,2.0,3.0]', '"shape":[0,1,1],"data":[]')), 'INVALID_SHAPE: x: expected shape [T, B, I] with T ≥ 1, B ≥ 1 and I = 1, got [0, 1, 1]'],
  ['x with no sequences', () => run(edited('x-no-batch.json', '"shape":[3,1,1],"data":[1.0,2.0,3.0]', '"shape":[3,0,1],"data":[]')), 'INVALID_SHAPE: x: expected shape [T, B, I] with T ≥ 1, B ≥ 1 and I = 1, got [3, 0, 1]'],
  ['a file over --max-bytes', () => run(seed004, seed004, '--max-bytes', '100'), 'LIMIT_EXCEEDED: --model'],
  ['a config declaring more than --max-bytes', () => run(edited('big.json', '"hidden_size":1', '"hidden_size":4096'), seed004, '--max-bytes', '100000'), 'LIMIT_EXCEEDED: model: the parameters this config declares take'],
  ['a bad --max-bytes', () => run(seed004, seed004, '--max-bytes', 'lots'), '--max-bytes expects a non-negative number, got "lots"'],
  ['a fractional --max-bytes', () => run(seed004, seed004, '--max-bytes', '1.5'), '--max-bytes expects a whole number of bytes, got "1.5"'],
];

describe('the CLI on untrusted files', () => {
  // Each case is its own node process: run them side by side.
  it.concurrent.for(kCases)('%s: one line, exit 2, no stack trace', async ([, args, message], { expect }) => {
    const { code, stdout, stderr } = await cli(args());
    expect(stdout).toBe('');
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });

  it('the same file runs within the budget', async () => {
    const { code, stdout } = await cli(run(seed004, seed004, '--max-bytes', '10000'));
    expect(code).toBe(0);
    expect(JSON.parse(stdout).output.shape).toEqual([3, 1, 1]);
  });
});

describe('input is checked completely before any runtime starts', () => {
  // No browser can start here: had the CLI launched one before checking the input, it would report
  // the browser's error instead of the input's.
  const noBrowser = { WEBGPU_LSTM_CHROME: '', CHROME_PATH: '/nonexistent/chrome' };
  const kBadInputs: [string, () => string, string][] = [
    ['a length written as a string', () => edited('early-lengths.json', /\}\}\s*$/, '},"lengths":["3"]}'), 'INVALID_ARGUMENT: lengths[0]: expected an integer in [1, 3], got "3"'],
    ['a length above T', () => edited('early-length.json', /\}\}\s*$/, '},"lengths":[4]}'), 'INVALID_ARGUMENT: lengths[0]: expected an integer in [1, 3], got 4'],
    ['x with no time steps', () => edited('early-t0.json', '"shape":[3,1,1],"data":[1.0,2.0,3.0]', '"shape":[0,1,1],"data":[]'), 'INVALID_SHAPE: x: expected shape [T, B, I] with T ≥ 1, B ≥ 1 and I = 1, got [0, 1, 1]'],
  ];

  it.concurrent.for(kBadInputs)('%s: --backend webgpu and verify refuse it as --backend cpu does, with no browser', async ([, path, message], { expect }) => {
    const file = path();
    const outcomes = await Promise.all([
      cli(['run', '--backend', 'cpu', '--model', file, '--input', file], noBrowser),
      cli(['run', '--backend', 'webgpu', '--model', file, '--input', file], noBrowser),
      cli(['run', '--backend', 'auto', '--model', file, '--input', file], noBrowser),
      cli(['verify', '--model', file, '--input', file], noBrowser),
    ]);
    for (const { code, stdout, stderr } of outcomes) {
      expect(stdout).toBe('');
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toEqual([`webgpu-lstm: ${message}`]);
    }
  });
});


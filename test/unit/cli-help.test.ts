import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kSwitches } from '../../src/cli/args.js';
import { kCommandHelp } from '../../src/cli/help.js';
import { kCommands, main } from '../../src/cli/main.js';
import { kTorchCasesDir } from '../support/fixtures.js';

// The CLI's own help, --version, the one-file case and the stated CPU fallback. In-process through
// main() where that is enough; through the built dist/cli.js (vitest's global setup builds it)
// where what matters is what a user's shell sees.

const root = resolve(__dirname, '../..');
const kCli = join(root, 'dist/cli.js');
const seed004 = join(kTorchCasesDir, 'seed004_scalar.json');
const modelOnly = join(root, 'examples/model.json');

async function inProcess(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (line) => out.push(line), (line) => err.push(line));
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

async function shell(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [kCli, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('webgpu-lstm --version and help', () => {
  it('--version prints the version in package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(await shell(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('every registered command has help listing exactly the options its parser accepts', () => {
    for (const [name, command] of Object.entries(kCommands)) {
      const help = kCommandHelp[name];
      expect(help, `help for ${name}`).toBeDefined();
      expect(help.flags.map((f) => f.name).sort(), name).toEqual([...command.flags].sort());
      // A flag without a value placeholder is a switch, and the parser must treat it as one.
      for (const flag of help.flags) expect(kSwitches.has(flag.name), `${name} --${flag.name}`).toBe(flag.value === undefined);
    }
  });

  it.each(Object.keys(kCommands))('help %s, %s --help and %s -h print its options and exit 0', async (name) => {
    const outcomes = await Promise.all([inProcess(['help', name]), inProcess([name, '--help']), inProcess([name, '--model', 'x.json', '-h'])]);
    for (const { code, stdout, stderr } of outcomes) {
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout.split('\n')[0]).toMatch(new RegExp(`^usage: webgpu-lstm ${name} `));
      for (const flag of kCommands[name].flags) expect(stdout).toContain(`\n  --${flag}`);
    }
  });

  it('help convert names every format convert reads (--from) and writes (--to)', async () => {
    const { stdout } = await inProcess(['help', 'convert']);
    expect(stdout).toMatch(/--from json\|tfjs\|h5\|keras\|keras-json\|onnx\|safetensors\b/);
    expect(stdout).toMatch(/--to json\|tfjs\|h5\|keras\|onnx\|safetensors\b/);
  });

  it('help with no command lists every registered command with its summary; no arguments is a usage error', async () => {
    const help = await inProcess(['help']);
    expect(help.code).toBe(0);
    for (const name of Object.keys(kCommands)) expect(help.stdout).toMatch(new RegExp(`^  ${name} +${kCommandHelp[name].summary.slice(0, 20)}`, 'm'));
    expect(await inProcess(['--help'])).toEqual(help);
    const none = await inProcess([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe(help.stdout);
  });

  it('help for an unknown command is a one-line usage error', async () => {
    expect(await inProcess(['help', 'frobnicate'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `webgpu-lstm: INVALID_ARGUMENT: help: unknown command "frobnicate"; expected one of ${Object.keys(kCommands).join(', ')}`,
    });
  });
});

describe('a file that holds model and input is given once', () => {
  it('run --model F alone reads the input from F, exactly as --model F --input F does', async () => {
    const once = await inProcess(['run', '--backend', 'cpu', '--model', seed004]);
    const twice = await inProcess(['run', '--backend', 'cpu', '--model', seed004, '--input', seed004]);
    expect(once.code).toBe(0);
    expect(once).toEqual(twice);
    // Seed 004's hidden states (its printed table), independent of the code under test.
    expect(JSON.parse(once.stdout).output.data.map((v: number) => v.toFixed(4))).toEqual(['0.2564', '0.6398', '0.8707']);
  });

  it('a model file without "x" still needs --input, and says so', async () => {
    const { code, stderr } = await inProcess(['run', '--backend', 'cpu', '--model', modelOnly]);
    expect(code).toBe(2);
    expect(stderr).toBe(`webgpu-lstm: INVALID_ARGUMENT: run: --input is required: the --model file ${modelOnly} holds no input ("x")`);
  });
});

describe('--backend auto never leaves WebGPU silently', () => {
  it('says so on stderr (one note) as well as in the result: the wasm engine, as the library\'s auto takes it', async () => {
    const { code, stdout, stderr } = await shell(['run', '--backend', 'auto', '--runtime', 'chromium', '--model', seed004], { WEBGPU_LSTM_CHROME: '', CHROME_PATH: '/nonexistent/chrome' });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ backend: 'wasm', reason: expect.stringContaining('auto: the wasm engine, because') });
    // Only the CLI's own lines: a system's Vulkan loader may print lines of its own.
    const lines = stderr.trim().split('\n').filter((line) => line.startsWith('webgpu-lstm'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^webgpu-lstm: note: --backend auto runs on the wasm engine \(float32, on the CPU\): .*CHROME_PATH=\/nonexistent\/chrome: no such file; point it at a Chrome or Chromium binary/);
  });
});

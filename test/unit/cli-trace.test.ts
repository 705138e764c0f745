import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kTorchCasesDir } from '../support/fixtures.js';

// `run --trace` on the seed 004 model file, through the built CLI on the CPU backend: the result
// file holds every gate and state, and stderr a table that reads like the seed's own printout.
// Expected values: seed 004's printed table (4 decimals), its notebook's output.
const kCli = resolve(__dirname, '../../dist/cli.js');
const seed004 = join(kTorchCasesDir, 'seed004_scalar.json');
const kSeed004 = {
  forget: ['0.6225', '0.7361', '0.8269'],
  input: ['0.6457', '0.7775', '0.8730'],
  candidate: ['0.6044', '0.9009', '0.9798'],
  cell: ['0.3902', '0.9877', '1.6721'],
  output: ['0.6900', '0.8459', '0.9344'],
  hidden: ['0.2564', '0.6398', '0.8707'],
};
const kFieldOfColumn = { forget: 'f', input: 'i', candidate: 'g', cell: 'c', output: 'o', hidden: 'h' } as const;

async function cli(args: string[]) {
  const { stdout, stderr } = await promisify(execFile)('node', [kCli, ...args]);
  return { stdout, stderr };
}

describe('run --trace', () => {
  it('prints seed 004 step by step on stderr and writes the trace into the result file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'webgpu-lstm-trace-')), 'result.json');
    const { stdout, stderr } = await cli(['run', '--backend', 'cpu', '--model', seed004, '--input', seed004, '--trace', '--out', out]);
    expect(stdout).toMatch(/^wrote /);

    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe('layer 0, sequence 0:');
    const header = lines[1].trim().split(/\s+/);
    expect(header).toEqual(['step', 'x', 'forget', 'input', 'candidate', 'cell', 'output', 'hidden']);
    const rows = lines.slice(2).map((line) => line.trim().split(/\s+/));
    expect(rows.map((r) => [r[0], r[1]])).toEqual([['1', '1.0000'], ['2', '2.0000'], ['3', '3.0000']]);
    for (const [column, values] of Object.entries(kSeed004)) {
      expect(rows.map((r) => r[header.indexOf(column)]), column).toEqual(values);
    }

    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.trace).toHaveLength(1);
    const [entry] = result.trace;
    expect([entry.layer, entry.direction]).toEqual([0, 0]);
    for (const [column, values] of Object.entries(kSeed004)) {
      const field = entry[kFieldOfColumn[column as keyof typeof kFieldOfColumn]];
      expect(field.shape, column).toEqual([3, 1, 1]);
      expect(field.data.map((v: number) => v.toFixed(4)), column).toEqual(values);
    }
  });

  it('leaves stdout one JSON document when there is no --out', async () => {
    const { stdout, stderr } = await cli(['run', '--backend', 'cpu', '--model', seed004, '--input', seed004, '--trace']);
    const result = JSON.parse(stdout);
    expect(result.trace[0].h.data.map((v: number) => v.toFixed(4))).toEqual(kSeed004.hidden);
    expect(result.stats.nonFiniteOutputs).toBe(0);
    expect(stderr).toContain('candidate');
  });

  it('without --trace writes no trace and prints nothing on stderr', async () => {
    const { stdout, stderr } = await cli(['run', '--backend', 'cpu', '--model', seed004, '--input', seed004]);
    expect(JSON.parse(stdout).trace).toBeUndefined();
    expect(stderr).toBe('');
  });
});

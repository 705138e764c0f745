import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { counters } from '../../src/cli/commands.js';
import { formatRmses } from '../../src/cli/forecast-command.js';
import { main } from '../../src/cli/main.js';

// The CLI's rough edges issue 20 lists: convert into a missing folder, the --to hint, two
// TensorFlow.js models in one folder, the missing IN argument, plurals and forecast's summary.

const fixtures = resolve(__dirname, '../fixtures');
const forecastModel = join(fixtures, 'tfjs/forecast/model.json');
const stackedModel = join(fixtures, 'tfjs/stacked/model.json');
const dir = mkdtempSync(join(tmpdir(), 'webgpu-lstm-cli-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('convert', () => {
  it('into a folder that does not exist: exit 2, saying to create it (no ENOENT, nothing written)', async () => {
    const out = join(dir, 'missing/deeper/model.json');
    const { code, stderr } = await cli(['convert', forecastModel, out]);
    expect(code).toBe(2);
    expect(stderr).toBe(`webgpu-lstm: INVALID_ARGUMENT: convert: the output folder ${join(dir, 'missing/deeper')} does not exist; create it first (mkdir -p ${join(dir, 'missing/deeper')})`);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('without --to and an OUT it cannot tell: the hint lists every format it writes', async () => {
    const { code, stderr } = await cli(['convert', forecastModel, join(dir, 'model.bin')]);
    expect(code).toBe(2);
    expect(stderr).toContain('give --to (json, tfjs, h5, keras, onnx, safetensors)');
  });

  it('an .onnx IN that does not decode says only that (not that the graph runs for inference)', async () => {
    const notOnnx = join(dir, 'not-really.onnx');
    writeFileSync(notOnnx, JSON.stringify({ config: {} }));
    const { code, stderr } = await cli(['convert', notOnnx, join(dir, 'out.json')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^webgpu-lstm: INVALID_ARGUMENT: onnx: not a readable ONNX protobuf \(.+\); the file is truncated, corrupt or not ONNX$/);
  });

  it('a missing IN is called IN, not --model', async () => {
    const { code, stderr } = await cli(['convert']);
    expect(code).toBe(2);
    expect(stderr).toBe('webgpu-lstm: INVALID_ARGUMENT: convert: IN (the model file to read) is missing; usage: convert IN OUT');
  });

  it('two TensorFlow.js models in one folder: each shard is named after its model.json, and both read back', async () => {
    const folder = mkdtempSync(join(dir, 'two-'));
    expect((await cli(['convert', forecastModel, join(folder, 'forecast.json'), '--to', 'tfjs'])).code).toBe(0);
    expect((await cli(['convert', stackedModel, join(folder, 'stacked.json'), '--to', 'tfjs'])).code).toBe(0);
    expect(readdirSync(folder).sort()).toEqual(['forecast.json', 'forecast.weights.bin', 'stacked.json', 'stacked.weights.bin']);
    expect(JSON.parse(readFileSync(join(folder, 'forecast.json'), 'utf8')).weightsManifest[0].paths).toEqual(['forecast.weights.bin']);
    for (const name of ['forecast.json', 'stacked.json']) {
      const back = await cli(['convert', join(folder, name), join(folder, `${name}.h5`)]);
      expect(back.code, back.stderr).toBe(0);
    }
  });

  it('refuses to overwrite a shard that another model.json in the folder names', async () => {
    const folder = mkdtempSync(join(dir, 'shared-'));
    const other = JSON.parse(readFileSync(forecastModel, 'utf8'));
    other.weightsManifest[0].paths = ['model.weights.bin'];
    writeFileSync(join(folder, 'other.json'), JSON.stringify(other));
    writeFileSync(join(folder, 'model.weights.bin'), readFileSync(join(fixtures, 'tfjs/forecast/weights.bin')));
    const before = readFileSync(join(folder, 'model.weights.bin'));
    const { code, stderr } = await cli(['convert', stackedModel, join(folder, 'model.json'), '--to', 'tfjs']);
    expect(code).toBe(2);
    expect(stderr).toContain(`convert: ${join(folder, 'model.weights.bin')} is the weight shard of ${join(folder, 'other.json')}`);
    expect(readFileSync(join(folder, 'model.weights.bin')).equals(before)).toBe(true);
    expect(existsSync(join(folder, 'model.json'))).toBe(false);
  });
});

describe('messages', () => {
  it('counts take the right number: 1 dispatch, 1 submit, 1 readback; 2 dispatches', () => {
    expect(counters({ dispatches: 1, submits: 1, readbacks: 1 })).toBe('1 dispatch, 1 submit, 1 readback');
    expect(counters({ dispatches: 12, submits: 2, readbacks: 0 })).toBe('12 dispatches, 2 submits, 0 readbacks');
  });

  it("forecast's RMSEs share one precision", () => {
    expect(formatRmses([1234.5678, 98.7654, 15206.3, 7525.04])).toEqual(['1235', '99', '15206', '7525']);
    expect(formatRmses([0.123456, 0.0987654])).toEqual(['0.1235', '0.0988']);
  });

  it("forecast's summary says at which index the test part starts, and gives the RMSEs at one precision", async () => {
    const rows = Array.from({ length: 60 }, (_, t) => `${(100 + 20 * Math.sin((2 * Math.PI * t) / 12) + t).toFixed(2)}`);
    const csv = join(dir, 'series.csv');
    writeFileSync(csv, `value\n${rows.join('\n')}\n`);
    const { code, stdout } = await cli(['forecast', '--data', csv, '--units', '4', '--epochs', '1', '--batch-size', '8', '--backend', 'cpu']);
    expect(code).toBe(0);
    // 60 values, the default recipe's testFraction 0.33: the test part starts at index ⌊60 · 0.67⌋ = 40.
    expect(stdout).toMatch(/^series: .*: 60 values; \d+ training windows, 20 test windows \(the test part starts at index 40\)$/m);
    expect(stdout).toContain('LSTM(4) + Dense(1), 1 epoch, batch 8');
    const rmses = /RMSE in the series' units: train ([\d.]+), test ([\d.]+)\nbaselines on the same test windows: persistence ([\d.]+), seasonal persistence \(season 12\) ([\d.]+)/.exec(stdout);
    expect(rmses, stdout).not.toBeNull();
    expect(new Set(rmses!.slice(1).map((v) => v.split('.')[1]?.length ?? 0)).size).toBe(1);
  });
});

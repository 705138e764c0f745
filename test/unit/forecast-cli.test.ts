import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { verdict } from '../../src/cli/forecast-command.js';
import { modelFromJSON } from '../../src/formats/model-json.js';

// `webgpu-lstm forecast` in process on the CPU, on a made-up CSV (tests never read ../shared).

const dir = mkdtempSync(join(tmpdir(), 'forecast-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csvFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const rows = Array.from({ length: 60 }, (_, t) => `${2000 + Math.floor(t / 12)}-${(t % 12) + 1},${(100 + 20 * Math.sin((2 * Math.PI * t) / 12) + t).toFixed(2)}`);
const sales = csvFile('sales.csv', `month,sales\n${rows.join('\n')}\n`);
const fast = ['--units', '4', '--epochs', '2', '--batch-size', '8', '--backend', 'cpu'];

async function forecast(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['forecast', ...args], (line) => out.push(line), (line) => err.push(line));
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('webgpu-lstm forecast', () => {
  it('--json prints one object with the RMSEs beside the baselines, and no progress', async () => {
    const { code, stdout, stderr } = await forecast(['--data', sales, ...fast, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(Object.keys(summary)).toEqual(expect.arrayContaining(['train_rmse', 'test_rmse', 'persistence_rmse', 'seasonal_rmse', 'epochs', 'seconds', 'backend']));
    expect(summary).toMatchObject({ epochs: 2, backend: 'cpu', recipe: 'default', transform: 'diff' });
    for (const key of ['train_rmse', 'test_rmse', 'persistence_rmse', 'seasonal_rmse', 'seconds']) expect(summary[key]).toBeGreaterThan(0);
  });

  it('without --data trains on the monthly births series (the baselines are the issue’s 15 206 and 7 525)', async () => {
    const { code, stdout } = await forecast(['--units', '2', '--epochs', '1', '--backend', 'cpu', '--json']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect([Math.round(summary.persistence_rmse), Math.round(summary.seasonal_rmse)]).toEqual([15206, 7525]);
  });

  it('writes the plot and the model, and says whether the baselines were beaten', async () => {
    const plot = join(dir, 'plot.svg');
    const save = join(dir, 'model.json');
    const { code, stdout } = await forecast(['--data', sales, '--column', 'sales', ...fast, '--recipe', 'seed003', '--plot', plot, '--save', save]);
    expect(code).toBe(0);
    expect(stdout).toContain('recipe seed003: transform none, window 12, LSTM(4) + Dense(1), 2 epochs, batch 8');
    expect(stdout).toMatch(/baselines on the same test windows: persistence [\d.]+, seasonal persistence \(season 12\) [\d.]+/);
    expect(stdout).toMatch(/The model (beats both baselines|does NOT beat)/);
    const svg = readFileSync(plot, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(3);
    const model = modelFromJSON(JSON.parse(readFileSync(save, 'utf8')));
    expect(model.config).toMatchObject({ inputSize: 1, hiddenSize: 4, batchFirst: true });
  });

  it('the verdict names what was not beaten', () => {
    expect(verdict({ testRmse: 1, persistenceRmse: 2, seasonalRmse: 3 })).toBe('The model beats both baselines on the test part.');
    expect(verdict({ testRmse: 2.5, persistenceRmse: 2, seasonalRmse: 3 })).toMatch(/^The model does NOT beat persistence on the test part/);
    expect(verdict({ testRmse: 4, persistenceRmse: 2, seasonalRmse: 3 })).toMatch(/^The model does NOT beat persistence nor seasonal persistence/);
  });

  it.each([
    ['an empty file', () => csvFile('empty.csv', ''), [], (f: string) => `${f}: the file is empty; expected a header row and a column of numbers`],
    ['a missing column', () => sales, ['--column', 'units'], (f: string) => `${f}: no column "units": the header (row 1) has "month", "sales"`],
    ['a non-numeric cell', () => csvFile('bad.csv', 'm,v\n1,2\n2,3\n3,three\n'), [], (f: string) => `${f}: row 4, column "v": expected a number, got "three"`],
    ['too few rows for the window', () => csvFile('short.csv', `v\n${'1\n'.repeat(15)}`), [], (f: string) => `${f}, column "v": 15 values; --window 12 with --transform diff, --test-fraction 0.33 and --season 12 needs at least`],
    ['a non-positive value under log-diff', () => csvFile('zero.csv', `v\n${Array.from({ length: 40 }, (_, t) => (t === 9 ? 0 : t + 1)).join('\n')}\n`), ['--transform', 'log-diff'], (f: string) => `${f}: row 11 is 0; --transform log-diff needs every value > 0`],
  ])('%s: one line naming the file and the row, exit 2', async (_, file, extra, message) => {
    const path = file();
    const { code, stdout, stderr } = await forecast(['--data', path, ...fast, ...extra]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toContain(`webgpu-lstm: INVALID_ARGUMENT: ${message(path)}`);
  });

  it('refuses bad flags before reading anything', async () => {
    expect((await forecast(['--window', 'twelve'])).stderr).toBe('webgpu-lstm: INVALID_ARGUMENT: forecast: --window expects a number, got "twelve"');
    expect((await forecast(['--recipe', 'fast'])).stderr).toBe('webgpu-lstm: INVALID_ARGUMENT: --recipe: expected one of default, seed003, got "fast"');
    expect((await forecast(['--backend', 'gpu'])).stderr).toBe('webgpu-lstm: INVALID_ARGUMENT: forecast: --backend expects cpu, wasm, webgpu or auto, got "gpu"');
    expect((await forecast(['--column', 'x'])).stderr).toBe('webgpu-lstm: INVALID_ARGUMENT: forecast: --column needs --data FILE.csv');
    expect((await forecast(['--data', join(dir, 'missing.csv')])).stderr).toMatch(/--data .*missing\.csv: cannot read the file \(ENOENT\)/);
  });
});

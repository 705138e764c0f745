import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { maxAbs } from './graph-helpers.js';

/** The CLI with Keras and TensorFlow.js files: run (CPU), convert between every format, errors. */
const root = resolve(__dirname, '..');
const tfjs = (name: string) => join(root, 'fixtures/tfjs', name);
const keras = (name: string) => join(root, 'fixtures/keras', name);

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

function inputFile(dir: string, ioPath: string): { path: string; expected: { shape: number[]; data: number[] } } {
  const io = JSON.parse(readFileSync(ioPath, 'utf8'));
  const path = join(dir, 'x.json');
  writeFileSync(path, JSON.stringify({ x: io.input }));
  return { path, expected: io.expected };
}

describe('webgpu-lstm with Keras and TensorFlow.js files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'webgpu-lstm-keras-cli-'));

  it('run --backend cpu on a tfjs model.json writes the prediction', async () => {
    const { path, expected } = inputFile(dir, tfjs('masking/io.json'));
    const { code, stdout } = await cli(['run', '--model', tfjs('masking/model.json'), '--input', path, '--backend', 'cpu']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.prediction.shape).toEqual(expected.shape);
    expect(maxAbs(report.prediction.data, expected.data)).toBeLessThan(1e-5);
  });

  it('run takes a to_json config with --weights', async () => {
    const { path, expected } = inputFile(dir, keras('keras2_embedding.io.json'));
    const { code, stdout } = await cli(['run', '--model', keras('keras2_embedding.json'), '--weights', keras('keras2_embedding_weights.h5'), '--input', path, '--backend', 'cpu']);
    expect(code).toBe(0);
    expect(maxAbs(JSON.parse(stdout).prediction.data, expected.data)).toBeLessThan(1e-9);
  });

  it('convert IN OUT goes .keras → model.json → .h5 → .keras and the model still predicts the same', async () => {
    const { path, expected } = inputFile(dir, keras('keras3_bilstm.io.json'));
    const steps = [join(dir, 'model.json'), join(dir, 'b.h5'), join(dir, 'c.keras')];
    let from = keras('keras3_bilstm.keras');
    for (const to of steps) {
      expect((await cli(['convert', from, to])).code).toBe(0);
      from = to;
    }
    const { code, stdout } = await cli(['run', '--model', from, '--input', path, '--backend', 'cpu']);
    expect(code).toBe(0);
    expect(maxAbs(JSON.parse(stdout).prediction.data, expected.data)).toBeLessThan(1e-6);
  });

  it('convert to our JSON maps an LSTM stack + Dense head (which then runs to the same prediction), and refuses other models saying why', async () => {
    expect((await cli(['convert', tfjs('forecast/model.json'), join(dir, 'ours.json')])).code).toBe(0);
    const ours = JSON.parse(readFileSync(join(dir, 'ours.json'), 'utf8'));
    expect(ours.config).toMatchObject({ input_size: 2, hidden_size: 8, num_layers: 1, batch_first: true, head: { over: 'last' } });
    const { path, expected } = inputFile(dir, tfjs('forecast/io.json'));
    const run = await cli(['run', '--model', join(dir, 'ours.json'), '--input', path, '--backend', 'cpu']);
    expect(run.code).toBe(0);
    expect(maxAbs(JSON.parse(run.stdout).prediction.data, expected.data)).toBeLessThan(1e-5);
    const refused = await cli(['convert', keras('keras3_bilstm.keras'), join(dir, 'no.json')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not an LSTM stack with a dense head: .*batchNorm/);
  });

  it('a model.to_json() without --weights, and a shard path leaving the folder, are usage errors', async () => {
    const noWeights = await cli(['convert', keras('keras2_embedding.json'), join(dir, 'x.h5')]);
    expect(noWeights.stderr).toMatch(/INVALID_ARGUMENT: .*--weights/);
    const model = JSON.parse(readFileSync(tfjs('forecast/model.json'), 'utf8'));
    model.weightsManifest[0].paths = ['../../etc/passwd'];
    writeFileSync(join(dir, 'evil.json'), JSON.stringify(model));
    const evil = await cli(['convert', join(dir, 'evil.json'), join(dir, 'y.h5')]);
    expect(evil.code).toBe(2);
    expect(evil.stderr).toMatch(/relative to model.json/);
  });
});

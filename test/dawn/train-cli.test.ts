import './dawn-env.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, workFolder } from '../support/cli-in-process.js';
import { modelFromJSON } from '../../src/formats/model-json.js';
import { loadTrainingFixture, scaledError } from '../support/training-fixtures.js';

// `grad` and `train` with --backend webgpu on Dawn, through the CLI's main(): the gradients within
// 1e-4 of PyTorch's (the fixture), and a trained model file that loads.

const { work, file } = workFolder('webgpu-lstm-dawn-train-cli-');
describe('webgpu-lstm grad and train on WebGPU (Dawn)', () => {
  it('grad --backend webgpu --runtime dawn writes every gradient, within 1e-4 of PyTorch', async () => {
    const f = loadTrainingFixture('grad_bidir_last_lengths') as ReturnType<typeof loadTrainingFixture> & { gradients: { loss: number; grads: Record<string, { data: number[] }> } };
    const { code, stdout, stderr } = await cli(['grad', '--model', file('m.json', f.model), '--input', file('d.json', f.input), '--backend', 'webgpu', '--runtime', 'dawn']);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(scaledError([result.loss], [f.gradients.loss])).toBeLessThan(1e-4);
    for (const [name, g] of Object.entries(f.gradients.grads)) expect(scaledError(result.grads[name].data, g.data), name).toBeLessThan(1e-4);
  });

  it('train --backend webgpu prints a line per epoch and writes a model that loads', async () => {
    const f = loadTrainingFixture('fit_minibatches_validation');
    const out = join(work, 'trained.json');
    const { code, stdout, stderr } = await cli(['train', '--model', file('fm.json', f.model), '--data', file('fd.json', f.input), '--epochs', '3', '--batch-size', '4', '--backend', 'webgpu', '--out', out]);
    expect(code, stderr).toBe(0);
    expect(stdout.split('\n').filter((line) => /^epoch \d\/3 {2}loss /.test(line))).toHaveLength(3);
    const trained = modelFromJSON(JSON.parse(readFileSync(out, 'utf8')));
    expect([...trained.tensors().keys()]).toEqual([...modelFromJSON(f.model).tensors().keys()]);
  });
});

import './dawn-env.js';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { benchmark } from '../../src/node/benchmark.js';
import { dawnEnv, kRepoRoot } from './dawn-env.js';

// benchmark() and `webgpu-lstm bench` with WebGPU on Dawn (SwiftShader on a machine without a GPU):
// the WebGPU row is verified against the float64 reference like the others, and the crossover
// compares it with the wasm engine.

describe('benchmark() from webgpu-lstm/node, WebGPU through Dawn', () => {
  it('verifies and times WebGPU beside the wasm engine, and states the crossover (flagging a software adapter)', async () => {
    const result = await benchmark(null, [{ batch: 1, steps: 4, inputSize: 4, hiddenSize: 8 }, { batch: 8, steps: 4, inputSize: 4, hiddenSize: 8 }], { engines: ['webgpu', 'wasm'], threads: [1], reps: 2, runtime: 'dawn' });
    const gpu = result.engines.find((e) => e.id === 'webgpu')!;
    expect(gpu.available, gpu.reason).toBe(true);
    expect(gpu.reason).toMatch(/runtime 'dawn' was requested/);
    for (const row of result.rows) {
      expect(row.status, `${row.id}: ${row.note}`).toBe('ok');
      expect(row.verified!.passed).toBe(true);
      expect(row.verified!.maxAbs).toBeLessThanOrEqual(1e-5);
    }
    const group = result.crossover.groups[0];
    expect([...group.gpuFasterAt, ...group.cpuFasterAt].sort((a, b) => a - b)).toEqual([1, 8]);
    // Which side wins is this machine's to say; the sentence must say what the medians did.
    const expected = group.gpuFasterAt.length === 0 ? /^The wasm engine is faster at every shape tried here/ : group.cpuFasterAt.length === 0 ? /^WebGPU is faster at every shape tried here/ : /is faster from B = 8 at \(T, I, H\) = \(4, 4, 8\)/;
    expect(result.crossover.summary).toMatch(expected);
    if (gpu.softwareAdapter) expect(result.crossover.summary).toMatch(/\(WebGPU here runs on a software adapter: CPU speed behind a GPU API\)$/);
  });

  it('webgpu-lstm bench --engines webgpu,wasm: the table has a verified WebGPU row', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(kRepoRoot, 'dist/cli.js'), 'bench', '--shapes', '2,3,4,8', '--engines', 'webgpu,wasm', '--threads', '1', '--reps', '2', '--runtime', 'dawn'], { env: dawnEnv() });
    expect(stdout).toMatch(/^webgpu {3}the WebGPU backend was requested; runtime 'dawn' was requested/m);
    expect(stdout).toMatch(/^\(2,3,4,8\) +webgpu( \(software\))? +[\d.]+ ms .* ok \(2 runs\)$/m);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^(WebGPU|The wasm engine) is faster at every shape tried here/);
  });
});

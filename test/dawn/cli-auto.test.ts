import './dawn-env.js';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadTorchCase, maxAbsDiff } from '../support/fixtures.js';
import { dawnEnv, kRepoRoot, openDawn } from './dawn-env.js';

// The CLI's --backend auto is the library's 'auto': over Dawn's adapter here — SwiftShader on a
// machine without a GPU — it takes the wasm engine and says why on stderr; on a hardware adapter, WebGPU.

describe('webgpu-lstm run --backend auto where Dawn finds an adapter', () => {
  it('takes the wasm engine over a software adapter (saying so), WebGPU over a hardware one', async () => {
    const probe = await openDawn();
    const software = probe.adapter!.isSoftware;
    await probe.close();
    const c = loadTorchCase('h0_c0');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(kRepoRoot, 'dist/cli.js'), 'run', '--model', c.path, '--input', c.path, '--backend', 'auto'], { env: dawnEnv() });
    const result = JSON.parse(stdout);
    expect(maxAbsDiff(result.output.data, c.expected.output.data)).toBeLessThanOrEqual(1e-5);
    const notes = stderr.split('\n').filter((line) => line.startsWith('webgpu-lstm'));
    if (software) {
      expect(result.backend).toBe('wasm');
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(/^webgpu-lstm: note: --backend auto runs on the wasm engine \(float32, on the CPU\): Dawn .*: the WebGPU adapter is a software one \(.*\): CPU speed behind a GPU API/);
    } else {
      expect(result.backend).toBe('webgpu');
      expect(notes).toEqual([]);
    }
  });
});

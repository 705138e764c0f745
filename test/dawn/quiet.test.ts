import './dawn-env.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dawnEnv, kRepoRoot } from './dawn-env.js';

// A green test log holds no error lines from Dawn: every Dawn start in the tests' environment
// (this process's, which workers and children inherit) is silent on stderr.
describe("Dawn's start prints nothing in the tests' environment", () => {
  it('opening Dawn, finding the adapter and creating a device write nothing to stderr', async () => {
    const script = `const node = await import(${JSON.stringify(`${kRepoRoot}/dist/node.js`)});
const backend = await node.createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
await backend.close();
console.log(backend.runtime);`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: dawnEnv(), cwd: kRepoRoot });
    expect(stdout.trim()).toBe('dawn');
    expect(stderr).toBe('');
  });
});

import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The wasm engine's helper threads in a real Node process, through the built package (dist/, built
// by the test setup): they start (the bundled worker text needs no bundler helper), a first call
// right after creation runs, and a process that forgets dispose() still exits.
const kDist = resolve(import.meta.dirname, '../../dist');

describe('the wasm engine in a Node process', () => {
  it('starts its threads, runs, and lets Node exit without dispose()', async () => {
    const script = `
      const { createBackend, LSTM } = await import(${JSON.stringify(`${kDist}/index.js`)});
      const backend = await createBackend({ prefer: 'wasm', threads: 2 });
      const runner = await backend.load(LSTM.random({ inputSize: 3, hiddenSize: 8, seed: 1 }));
      const result = await runner.forward(new Float64Array(4 * 2 * 3).fill(0.5), { steps: 4, batch: 2 });
      console.log(JSON.stringify({ kind: backend.kind, reason: backend.reason, length: result.output.data.length }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
    const report = JSON.parse(stdout);
    expect(report.kind).toBe('wasm');
    expect(report.reason).toMatch(/2 threads \(2 requested\)/);
    expect(report.length).toBe(4 * 2 * 8);
  });
});

import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { benchmark } from '../../src/api/benchmark/index.js';
import { LSTM } from '../../src/model/lstm.js';
import { createNodeBackend } from '../../src/node/node-backend.js';

// A misspelt option key is refused with the nearest valid one, where it would otherwise pass
// silently: the backend, a forward call and benchmark(). (fit, LSTM.random and verify have theirs.)
const unknownKey = (where: string, key: string, near: string) => ({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(new RegExp(`^${where}: unknown key "${key}" \\(did you mean "${near}"\\?\\); expected some of `)) });

describe('unknown option keys', () => {
  it('createBackend and createNodeBackend name a misspelt key', async () => {
    await expect(createBackend({ prefer: 'wasm', thread: 4 } as never)).rejects.toMatchObject(unknownKey('createBackend', 'thread', 'threads'));
    await expect(createNodeBackend({ prefer: 'cpu', runtim: 'dawn' } as never)).rejects.toMatchObject(unknownKey('createNodeBackend', 'runtim', 'runtime'));
  });

  it('a forward call names a misspelt key, and the runner works afterwards', async () => {
    const backend = await createBackend({ prefer: 'wasm', threads: 1 });
    try {
      const runner = await backend.load(LSTM.random({ inputSize: 2, hiddenSize: 3, seed: 1 }));
      const x = new Float32Array(2 * 2 * 2);
      await expect(runner.forward(x, { steps: 2, batch: 2, lenghts: [1, 2] } as never)).rejects.toMatchObject(unknownKey('forward options', 'lenghts', 'lengths'));
      expect((await runner.forward(x, { steps: 2, batch: 2, lengths: [1, 2] })).output.shape).toEqual([2, 2, 3]);
    } finally {
      backend.dispose();
    }
  });

  it('benchmark() names a misspelt key', async () => {
    await expect(benchmark(null, [{ batch: 1, steps: 2, inputSize: 2, hiddenSize: 3 }], { rep: 1 } as never)).rejects.toMatchObject(unknownKey('benchmark options', 'rep', 'reps'));
  });
});

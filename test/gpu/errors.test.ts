import { beforeAll, describe, expect, it } from 'vitest';
import { useKitSession, type CheckReport, type KitWindow } from '../support/page-kit.js';

// The GPU runner's errors, in headless Chromium: the same validation as the CPU runner (before any
// GPU work), the GPU's own failures (a kernel's validation error, limits no split can meet, a
// disposed runner), and after each error a valid call on the same runner that matches the CPU.

const session = useKitSession();

interface Outcome {
  readonly code: string | null;
  readonly message: string;
  /** A valid call on the same runner right after the error, against the CPU reference. */
  readonly after: CheckReport;
}

/** Runs the named error cases on one GPU runner, each followed by a valid call. */
async function runCases(names: string[]): Promise<Record<string, Outcome>> {
  return session().page.evaluate(async (caseNames: string[]) => {
    const { webgpuLstm: lib, lstmKit: kit } = window as unknown as KitWindow;
    const backend = await lib.createBackend({ prefer: 'webgpu' });
    const model = lib.LSTM.random({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 3 });
    const runner = await backend.load(model);
    const [T, B] = [5, 2];
    const x = kit.wave(T * B * 3);
    const withValue = (at: number, value: number) => x.map((v, i) => (i === at ? value : v));
    const calls: Record<string, () => Promise<unknown>> = {
      'x of the wrong length': () => runner.forward(x.subarray(1), { steps: T, batch: B }),
      'T absurdly large': () => runner.forward(x, { steps: 2 ** 40, batch: B }),
      'h0 of the wrong shape': () => runner.forward(x, { steps: T, batch: B, h0: new Float64Array(8) }),
      'a length above T': () => runner.forward(x, { steps: T, batch: B, lengths: [5, 6] }),
      'a fractional length': () => runner.forward(x, { steps: T, batch: B, lengths: [2.5, 5] }),
      'a length given as a string': () => runner.forward(x, { steps: T, batch: B, lengths: ['3', 5] as never }),
      'NaN in x': () => runner.forward(withValue(7, NaN), { steps: T, batch: B }),
      'a kernel rejected by the GPU': async () => {
        // Fault injection: the bind groups of layer 0's reverse recurrence lose their last entry.
        const original = GPUDevice.prototype.createBindGroup;
        GPUDevice.prototype.createBindGroup = function (descriptor: GPUBindGroupDescriptor) {
          const broken = / l0d1/.test(descriptor.label ?? '') && !/projection/.test(descriptor.label ?? '');
          return original.call(this, broken ? { ...descriptor, entries: [...descriptor.entries].slice(0, -1) } : descriptor);
        };
        try {
          return await runner.forward(kit.wave(4 * B * 3), { steps: 4, batch: B });
        } finally {
          GPUDevice.prototype.createBindGroup = original;
        }
      },
    };
    const outcomes: Record<string, { code: string | null; message: string; after: CheckReport }> = {};
    for (const name of caseNames) {
      let code: string | null = null;
      let message = 'no error';
      try {
        await calls[name]();
      } catch (error) {
        code = (error as { code?: string }).code ?? null;
        message = (error as Error).message;
      }
      // The same shape as the failed call where it had one, so a broken working set would show.
      const steps = name === 'a kernel rejected by the GPU' ? 4 : T;
      const good = kit.wave(steps * B * 3, 1);
      const after = await kit.check(model, good, { steps, batch: B }, await runner.forward(good, { steps, batch: B }));
      outcomes[name] = { code, message, after };
    }
    runner.dispose();
    backend.dispose();
    return outcomes;
  }, names);
}

const kCases: [string, string, string | RegExp][] = [
  ['x of the wrong length', 'INVALID_SHAPE', 'x: expected 30 values for shape [5, 2, 3], got 29 values'],
  ['T absurdly large', 'INVALID_ARGUMENT', 'options.steps: expected an integer in [1, 268435456], got 1099511627776'],
  ['h0 of the wrong shape', 'INVALID_SHAPE', 'h0: expected 32 values for shape [4, 2, 4], got 8 values'],
  ['a length above T', 'INVALID_ARGUMENT', 'lengths[1]: expected an integer in [1, 5], got 6'],
  ['a fractional length', 'INVALID_ARGUMENT', 'lengths[0]: expected an integer in [1, 5], got 2.5'],
  ['a length given as a string', 'INVALID_ARGUMENT', 'lengths[0]: expected an integer in [1, 5], got "3"'],
  ['NaN in x', 'NON_FINITE', 'x at t=1, b=0, i=1 (flat index 7) is NaN'],
  // Dawn names the bind group (path, layer, direction) and its layout (the kernel).
  ['a kernel rejected by the GPU', 'GPU_ERROR', /^forward: the GPU rejected the work \(T=4, B=2\): .*(steps|sequence) l0d1.*lstm_(step|sequence) bind group layout/s],
];

describe('GPU runner errors, and the same runner afterwards', () => {
  let outcomes: Record<string, Outcome>;
  beforeAll(async () => {
    outcomes = await runCases(kCases.map(([name]) => name));
  });

  it.each(kCases)('%s', (name, code, message) => {
    const outcome = outcomes[name];
    expect(outcome.code, outcome.message).toBe(code);
    if (typeof message === 'string') expect(outcome.message).toContain(message);
    else expect(outcome.message).toMatch(message);
    expect(outcome.after.passed, `the valid call after it: ${outcome.after.worst}`).toBe(true);
  });
});

describe('GPU-only errors', () => {
  it('a disposed runner refuses to run, frees its memory, and dispose is safe twice', async () => {
    const result = await session().page.evaluate(async () => {
      const { webgpuLstm: lib, lstmKit: kit } = window as unknown as KitWindow;
      const backend = await lib.createBackend({ prefer: 'webgpu' });
      const runner = await backend.load(lib.LSTM.random({ inputSize: 2, hiddenSize: 3, seed: 1 }));
      await runner.forward(kit.wave(4), { steps: 2, batch: 1 });
      const before = runner.gpuBytes;
      runner.dispose();
      runner.dispose();
      const error = await runner.forward(kit.wave(4), { steps: 2, batch: 1 }).then(() => null, (e: { code: string; message: string }) => [e.code, e.message]);
      backend.dispose();
      return { before, after: runner.gpuBytes, error };
    });
    expect(result.before).toBeGreaterThan(0);
    expect(result.after).toBe(0);
    expect(result.error).toEqual(['DISPOSED', 'forward: this runner was disposed; load the model again']);
  });

  it('weights larger than a limit are refused at load, naming the limit, its value and the size', async () => {
    const error = await session().page.evaluate(async () => {
      const { webgpuLstm: lib } = window as unknown as KitWindow;
      const backend = await lib.createBackend({ prefer: 'webgpu', limits: { maxStorageBufferBindingSize: 4096 } });
      try {
        await backend.load(lib.LSTM.random({ inputSize: 2, hiddenSize: 32, seed: 1 }));
        return null;
      } catch (e) {
        return [(e as { code: string }).code, (e as Error).message];
      } finally {
        backend.dispose();
      }
    });
    expect(error).toEqual([
      'LIMIT_EXCEEDED',
      "load: weight_hh_l0 needs 16384 bytes, more than the device's maxStorageBufferBindingSize of 4096; weights cannot be split, so this model needs a device with a larger limit (or the CPU)",
    ]);
  });

  it('a call not even one step of which fits is refused, naming the limit; a call that fits still runs', async () => {
    const result = await session().page.evaluate(async () => {
      const { webgpuLstm: lib, lstmKit: kit } = window as unknown as KitWindow;
      // One step's slot in the step-index buffer is 256 bytes; the weights (I = 8, H = 1) fit in 200.
      const backend = await lib.createBackend({ prefer: 'webgpu', limits: { maxBufferSize: 200 } });
      const model = lib.LSTM.random({ inputSize: 8, hiddenSize: 1, seed: 1 });
      const runner = await backend.load(model);
      const error = await runner.forward(kit.wave(16), { steps: 1, batch: 2 }).then(() => null, (e: { code: string; message: string }) => [e.code, e.message]);
      runner.dispose();
      backend.dispose();
      return error;
    });
    expect(result).toEqual([
      'LIMIT_EXCEEDED',
      "forward (T=1, B=2): step indices needs 256 bytes, more than the device's maxBufferSize of 200 for a single step of a single sequence, so no split can make it fit",
    ]);
  });
});

import type { LSTM } from '../../model/lstm.js';
import { createBackend, type BackendOptions } from '../backend.js';
import { runBenchmark, type EngineOpeners } from './run.js';
import type { BenchmarkOptions, BenchmarkResult, BenchmarkShape } from './types.js';

export type * from './types.js';

/** benchmark()'s options in a browser: and how to reach the GPU (a caller's device, a GPU object). */
export interface BrowserBenchmarkOptions extends BenchmarkOptions {
  readonly gpu?: Omit<BackendOptions, 'prefer' | 'threads'>;
}

/**
 * Times the model's forward call on each engine available here — WebGPU, the float32 wasm engine
 * at 1 thread and at all threads, the float64 CPU reference — with the protocol of `npm run bench`:
 * one warm-up call whose output (output, h_n, c_n) must be within `tolerance` of the float64
 * reference (verify's kDefaultTolerance by default) before the engine is timed, then `reps`
 * interleaved rounds within a per-engine budget; medians, min, max and GFLOP/s per shape and
 * engine, and the GPU/CPU crossover in words. An engine that cannot open here is a row with
 * status 'absent' and the reason. `model` null: a seeded random one-layer model per shape (the
 * shape then gives inputSize and hiddenSize). Bad arguments are INVALID_ARGUMENT errors naming the
 * argument; an input over 2^27 values is LIMIT_EXCEEDED. See docs/benchmark.md.
 *
 * @example
 * const result = await benchmark(model, [{ batch: 1, steps: 100 }, { batch: 16, steps: 100 }], { reps: 5 });
 * console.log(result.crossover.summary); // "WebGPU is faster from B = 16 at (T, I, H) = (100, 32, 128); …"
 */
export function benchmark(model: LSTM | null, shapes: readonly BenchmarkShape[], options?: BrowserBenchmarkOptions): Promise<BenchmarkResult> {
  const gpu = options?.gpu ?? {};
  const opened = (backend: Awaited<ReturnType<typeof createBackend>>) => ({ backend, close: async () => backend.dispose() });
  const openers: EngineOpeners = {
    webgpu: async () => opened(await createBackend({ ...gpu, prefer: 'webgpu' })),
    wasm: async (threads) => opened(await createBackend({ prefer: 'wasm', ...(threads === undefined ? {} : { threads }) })),
    cpu: async () => opened(await createBackend({ prefer: 'cpu' })),
  };
  return runBenchmark(model, shapes, options, openers);
}

import { runBenchmark, type EngineOpeners } from '../api/benchmark/run.js';
import type { BenchmarkOptions, BenchmarkResult, BenchmarkShape } from '../api/benchmark/types.js';
import type { LSTM } from '../model/lstm.js';
import { createNodeBackend, type NodeBackend, type NodeBackendOptions } from './node-backend.js';

/** benchmark()'s options in Node, and where WebGPU runs: createNodeBackend's `runtime` ('auto': Dawn, else headless Chromium), `dawn` and `chromium`. */
export interface NodeBenchmarkOptions extends BenchmarkOptions, Pick<NodeBackendOptions, 'runtime' | 'dawn' | 'chromium'> {}

/**
 * The main entry's benchmark() for Node: WebGPU through Dawn or headless Chromium
 * (createNodeBackend with prefer 'webgpu'), the wasm engine and the CPU reference in this process.
 * Same protocol, result and errors.
 *
 * @example
 * import { benchmark } from 'webgpu-lstm/node';
 * const { rows, crossover } = await benchmark(null, [{ batch: 16, steps: 100, inputSize: 64, hiddenSize: 128 }]);
 */
export function benchmark(model: LSTM | null, shapes: readonly BenchmarkShape[], options?: NodeBenchmarkOptions): Promise<BenchmarkResult> {
  const { runtime, dawn, chromium, ...common } = options ?? {};
  const opened = (backend: NodeBackend) => ({ backend, close: () => backend.close() });
  const openers: EngineOpeners = {
    webgpu: async () => opened(await createNodeBackend({ prefer: 'webgpu', runtime, dawn, chromium })),
    wasm: async (threads) => opened(await createNodeBackend({ prefer: 'wasm', ...(threads === undefined ? {} : { threads }) })),
    cpu: async () => opened(await createNodeBackend({ prefer: 'cpu' })),
  };
  // The main entry's options are checked there, unknown keys included; Node's own three are taken here.
  return runBenchmark(model, shapes, options !== null && typeof options === 'object' ? common : options, openers);
}

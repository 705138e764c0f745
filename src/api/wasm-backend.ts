import type { BackendKind } from '../core/results.js';
import type { DeviceLoss } from '../gpu/device-lost.js';
import type { LSTM } from '../model/lstm.js';
import { frontRunner, type Runner } from './runner.js';
import { createTrainer, type Trainer } from './train/trainer.js';
import type { TrainOptions } from './train/types.js';
import { WasmEngine, type WasmEngineOptions } from '../wasm/engine/engine.js';
import { WasmRunner } from '../wasm/runner.js';
import { WasmTrainingBackend } from '../wasm/train/training-backend.js';

/** What the wasm backend adds to a Backend: its engine's thread count and build. */
export interface WasmBackendParts {
  readonly kind: BackendKind;
  readonly reason: string;
  readonly adapter: null;
  readonly device: null;
  readonly limits: null;
  readonly lost: Promise<DeviceLoss>;
  /** Threads a call runs on (the calling thread included), and why that many. */
  readonly threads: number;
  readonly threadsReason: string;
  load(model: LSTM): Promise<Runner>;
  train(model: LSTM, options: TrainOptions): Promise<Trainer>;
  dispose(): void;
}

/**
 * The float32 WebAssembly engine as a backend: one engine (module, memory, helper threads) for
 * every model loaded on it, started here once. BACKEND_UNAVAILABLE where WebAssembly lacks SIMD.
 * `why` is what chose it; the thread count and the build are added to `reason`.
 */
export async function openWasmBackend(why: string, options: WasmEngineOptions = {}): Promise<WasmBackendParts> {
  const engine = await WasmEngine.create(options);
  return {
    kind: 'wasm',
    reason: `${why}; ${engine.threads === 1 ? '1 thread' : `${engine.threads} threads`} (${engine.threadsReason}), ${engine.build} build`,
    adapter: null,
    device: null,
    limits: null,
    lost: new Promise<DeviceLoss>(() => {}),
    threads: engine.threads,
    threadsReason: engine.threadsReason,
    load: async (model) => frontRunner(model, new WasmRunner(engine, model)),
    train: (model, options) => createTrainer(model, options, (m, setup) => new WasmTrainingBackend(engine, m, setup)),
    // Runners and trainers on a disposed engine reject every call with DISPOSED.
    dispose: () => engine.dispose(),
  };
}

/** The engine's roofline (its FMA peak and GEMM yardstick on this CPU), for benchmarks: src/wasm/roofline.ts. */
export { measureWasmRoofline, type WasmRoofline, type WasmRooflineOptions } from '../wasm/roofline.js';

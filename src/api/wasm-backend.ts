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
    load: async (model) => {
      const runner = frontRunner(model, new WasmRunner(engine, model));
      await warmForwardPath(runner);
      return runner;
    },
    train: (model, options) => createTrainer(model, options, (m, setup) => new WasmTrainingBackend(engine, m, setup)),
    // Runners and trainers on a disposed engine reject every call with DISPOSED.
    dispose: () => engine.dispose(),
  };
}

/** The warm-up call's shape: two sequences (a register tile's row pair) of a few steps. */
const kWarmUpCall = { steps: 16, batch: 2 } as const;

/**
 * One small forward of zeros through the whole call path (checks, plan, kernels, results) when a
 * model loads. JavaScript engines first run code in an interpreter; without this, a model's first
 * forward at (1, 100, 32, 128) took 5–12 ms against 1.3 ms for the later ones (Node 20), and after
 * it 2.1 ms. The engine's own kernels were warmed when it started (src/wasm/engine/warm-up.ts).
 */
async function warmForwardPath(runner: Runner): Promise<void> {
  const { inputSize } = runner.model.config;
  await runner.forward(new Float32Array(kWarmUpCall.steps * kWarmUpCall.batch * inputSize), kWarmUpCall);
}

/** The engine's roofline (its FMA peak and GEMM yardstick on this CPU), for benchmarks: src/wasm/roofline.ts. */
export { measureWasmRoofline, type WasmRoofline, type WasmRooflineOptions } from '../wasm/roofline.js';

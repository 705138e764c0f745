import type { BackendRunner } from '../core/backend-runner.js';
import { LstmError } from '../core/errors.js';
import type { ForwardResult } from '../core/results.js';
import { CpuRunner } from '../cpu/runner.js';
import type { LSTM } from '../model/lstm.js';
import { prepareInput, type ForwardOptions } from './forward-input.js';
import { finishResult } from './result.js';

/** A model loaded on a backend, ready to run. */
export interface Runner {
  readonly kind: 'webgpu' | 'cpu';
  readonly model: LSTM;
  /** Bytes of GPU memory held (0 on the CPU). */
  readonly gpuBytes: number;
  /**
   * One forward call. x is [T, B, I] (or [B, T, I] with batchFirst), flat and row-major. Every
   * argument is checked before any backend work; a bad one rejects with an LstmError naming it.
   */
  forward(x: ArrayLike<number>, options: ForwardOptions): Promise<ForwardResult>;
  /** Frees what the runner holds; safe to call twice. */
  dispose(): void;
}

/**
 * The front door of a loaded model: input checked and brought to time-major once, here, then run
 * by the backend, then shaped for the caller. Backends never see the caller's layout.
 */
export function frontRunner(model: LSTM, backend: BackendRunner): Runner {
  return {
    kind: backend.kind,
    model,
    get gpuBytes() {
      return backend.gpuBytes;
    },
    async forward(x, options) {
      const input = prepareInput(model.config, x, options);
      const result = await backend.run(input);
      // A backend that does not compute the head must never return a model's results without it.
      if (model.config.head && !result.prediction) {
        throw new LstmError('BACKEND_UNAVAILABLE', `forward: the ${backend.kind} backend did not compute the model's dense head`);
      }
      return finishResult(model.config, input.steps, input.batch, result, result.stats);
    },
    dispose: () => backend.dispose(),
  };
}

/** The float64 CPU reference, synchronously: the judge the GPU results are compared with. */
export function referenceResult(model: LSTM, x: ArrayLike<number>, options: ForwardOptions): ForwardResult {
  const input = prepareInput(model.config, x, options);
  const result = new CpuRunner(model).runSync(input);
  return finishResult(model.config, input.steps, input.batch, result, result.stats);
}

import type { BackendResult, BackendRunner } from '../core/backend-runner.js';
import { isGpuBuffer, type GpuForwardResult } from '../core/gpu-buffer.js';
import { describeValue } from '../core/describe.js';
import { invalidArgument, LstmError } from '../core/errors.js';
import { kForwardOptionKeys, kMaxStepsTimesBatch } from '../core/forward-options.js';
import { checkKnownKeys } from '../core/nearest-key.js';
import { checkDimension } from '../model/config.js';
import { openStream, type LstmStream, type StreamOptions } from './stream.js';
import type { BackendKind, ForwardResult } from '../core/results.js';
import type { RunPlan } from '../core/run-plan.js';
import { CpuRunner } from '../cpu/runner.js';
import type { LSTM } from '../model/lstm.js';
import { prepareInput, type ForwardOptions } from './forward-input.js';
import { finishResult } from './result.js';
import { checkForwardResult } from './result-contract.js';

/** A model loaded on a backend, ready to run. */
export interface Runner {
  readonly kind: BackendKind;
  readonly model: LSTM;
  /** Bytes of GPU memory held (0 on the CPU). */
  readonly gpuBytes: number;
  /**
   * One forward call. x is [T, B, I] (or [B, T, I] with batchFirst), flat and row-major. Every
   * argument is checked before any backend work; a bad one rejects with an LstmError naming it.
   *
   * On WebGPU, x may be a GPUBuffer of the runner's device (backend.device): float32 in that same
   * layout from byte 0, with COPY_SRC usage (STORAGE for a batchFirst model, whose x a kernel
   * reads). It stays the caller's: the call only reads it, and it may be rewritten or destroyed once
   * the call resolves; its values are not checked for NaN. A buffer too small, without that usage,
   * or mapped is INVALID_ARGUMENT before any GPU work; one of another device, or destroyed, is
   * INVALID_ARGUMENT once the GPU refuses it. With `output: 'gpu'` the results stay on the GPU
   * (GpuForwardResult: new buffers the caller owns and must destroy; no readback).
   */
  forward(x: ArrayLike<number> | GPUBuffer, options: ForwardOptions & { readonly output?: 'cpu' }): Promise<ForwardResult>;
  forward(x: ArrayLike<number> | GPUBuffer, options: ForwardOptions & { readonly output: 'gpu' }): Promise<GpuForwardResult>;
  /**
   * Makes the first call of (steps, batch) as quick as later ones: on WebGPU it compiles the kernels
   * that shape runs and makes its working set (by one call of zeros). Calls of other shapes gain too:
   * compiled kernels serve every shape of this model. Nothing to do on the CPU.
   */
  warmup(options: { readonly steps: number; readonly batch: number }): Promise<void>;
  /** Opens a stream of `options.batch` slots whose (h, c) stay on the backend between calls (README, "Step by step, with the state on the GPU"; docs/architecture.md). */
  stream(options: StreamOptions): LstmStream;
  /**
   * What a forward call of `options.batch` sequences runs and why: on WebGPU the recurrence kernel
   * the cost model picked (or the one `load(model, { recurrence })` forced), with every
   * candidate's modelled time per step (docs/performance.md, "The cost model"); on the wasm
   * engine how its threads share the call, which also depends on `options.steps` (the call's T;
   * without it, a long sequence). Starts no GPU work. INVALID_ARGUMENT for a batch or steps that
   * is not a positive integer.
   */
  plan(options: { readonly batch: number; readonly steps?: number }): RunPlan;
  /** Frees what the runner holds; safe to call twice. */
  dispose(): void;
}

/** What runner.forward takes: the forward options and `output`. */
const kRunnerForwardKeys = [...kForwardOptionKeys, 'output'];

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
    forward: (async (x: ArrayLike<number> | GPUBuffer, options: ForwardOptions & { readonly output?: 'cpu' | 'gpu' }) => {
      if (options !== null && typeof options === 'object') checkKnownKeys('forward options', options, kRunnerForwardKeys);
      const output = options?.output ?? 'cpu';
      if (output !== 'cpu' && output !== 'gpu') throw invalidArgument(`options.output: expected 'cpu' or 'gpu', got ${describeValue(output)}`);
      const gpuX = isGpuBuffer(x) ? x : null;
      if (!gpuX && output === 'cpu') return forwardNumbers(model, backend, x as ArrayLike<number>, options);
      if (!backend.runResident) {
        throw new LstmError('BACKEND_UNAVAILABLE', `forward: ${gpuX ? 'x as a GPUBuffer' : "output: 'gpu'"} needs the webgpu backend; the ${backend.kind} backend takes and gives numbers`);
      }
      const input = prepareInput(model.config, x as ArrayLike<number>, options, { xOnGpu: gpuX !== null });
      if (output === 'gpu' && (input.trace || model.config.head)) {
        throw invalidArgument(`options.output: 'gpu' returns output, h_n and c_n only; ${input.trace ? 'trace: true' : "the model's dense head"} needs output 'cpu'`);
      }
      const result = await backend.runResident(input, gpuX, output);
      if (output === 'gpu') return result;
      return checkForwardResult(model.config, options, finishResult(model.config, input.steps, input.batch, result as BackendResult, result.stats), `the ${backend.kind} backend`);
    }) as Runner['forward'],
    async warmup(options) {
      if (options === null || typeof options !== 'object') throw invalidArgument(`warmup options: expected { steps, batch }, got ${describeValue(options)}`);
      const steps = checkDimension('options.steps', options.steps, kMaxStepsTimesBatch);
      const batch = checkDimension('options.batch', options.batch, kMaxStepsTimesBatch);
      if (steps * batch > kMaxStepsTimesBatch) throw invalidArgument(`options.steps × options.batch: expected at most ${kMaxStepsTimesBatch}, got ${steps} × ${batch}`);
      await backend.warmup?.(steps, batch);
    },
    stream: (options) => openStream(model, backend, options),
    plan(options) {
      if (options === null || typeof options !== 'object') throw invalidArgument(`plan options: expected { batch }, got ${describeValue(options)}`);
      const batch = checkDimension('options.batch', options.batch, kMaxStepsTimesBatch);
      const steps = options.steps === undefined ? undefined : checkDimension('options.steps', options.steps, kMaxStepsTimesBatch);
      return backend.plan?.(batch, steps) ?? { backend: backend.kind, kind: 'reference', kernel: 'float64 reference', reason: 'the CPU reference has one path', choice: 'auto', device: 'CPU', costsSource: 'none', predictions: [] };
    },
    dispose: () => backend.dispose(),
  };
}

/** A forward call of numbers in and numbers out, on any backend. */
async function forwardNumbers(model: LSTM, backend: BackendRunner, x: ArrayLike<number>, options: ForwardOptions): Promise<ForwardResult> {
  const input = prepareInput(model.config, x, options, { borrowX: backend.readsInputAtOnce === true });
  const result = await backend.run(input);
  // One contract for every backend: a key missing (a head not computed) fails here, never silently.
  return checkForwardResult(model.config, options, finishResult(model.config, input.steps, input.batch, result, result.stats), `the ${backend.kind} backend`);
}

/** The float64 CPU reference, synchronously: the judge the GPU results are compared with. */
export function referenceResult(model: LSTM, x: ArrayLike<number>, options: ForwardOptions): ForwardResult {
  const input = prepareInput(model.config, x, options);
  const result = new CpuRunner(model).runSync(input);
  return finishResult(model.config, input.steps, input.batch, result, result.stats);
}

import type { LSTM } from '../model/lstm.js';
import { referenceResult } from './runner.js';
import { createBackend, type Backend, type BackendOptions } from './backend.js';
import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';
import { kForwardOptionKeys } from '../core/forward-options.js';
import { checkKnownKeys } from '../core/nearest-key.js';
import type { WasmEngineOptions } from '../wasm/engine/engine.js';
import { compareResults, type Tolerance, type VerifyReport } from './compare.js';
import type { ForwardOptions } from './forward-input.js';
import type { AdapterSummary } from '../gpu/context.js';

export interface VerifyOptions extends ForwardOptions {
  readonly tolerance?: Tolerance;
  /** The backend judged when none is given: 'webgpu' (default) or the float32 'wasm' engine. */
  readonly prefer?: 'webgpu' | 'wasm';
  /** How to reach the GPU (a caller's device, a GPU object), for prefer 'webgpu'. */
  readonly gpu?: Omit<BackendOptions, 'prefer'>;
  /** How to start the wasm engine (threads, relaxedSimd, maxBytes), for prefer 'wasm'. */
  readonly wasm?: WasmEngineOptions;
  /**
   * An open WebGPU or wasm backend to run on (left open afterwards) instead of opening one: its
   * device has the model's kernels compiled already when it ran the model before, which saves the
   * compilation (2.3 s against 0.24 s measured on SwiftShader). `prefer`, `gpu` and `wasm` are then not used.
   */
  readonly backend?: Backend;
}

/** Which backend was judged: its kind, why it was chosen (its `reason`), and the adapter on WebGPU (null on wasm). */
export interface VerifySubject {
  readonly kind: 'webgpu' | 'wasm';
  readonly reason: string;
  readonly adapter: AdapterSummary | null;
}

/** verify's own keys, beside the forward options'. */
const kVerifyKeys = ['tolerance', 'prefer', 'gpu', 'wasm', 'backend'] as const;

/**
 * Runs the model on WebGPU (or on the wasm engine: prefer 'wasm', or a wasm `backend`) and on the
 * float64 CPU reference, and reports the largest absolute and relative errors of output, h_n and
 * c_n (and the prediction), with the worst element's position; an element fails beyond
 * atol + rtol·|reference|, 1e-5 and 1e-5 unless `tolerance` says otherwise (float32's error over
 * the bench's shapes stays below it on WebGPU and on wasm).
 * Errors: INVALID_ARGUMENT for a bad option (a cpu `backend`: the reference cannot judge itself),
 * BACKEND_UNAVAILABLE when the backend cannot open; the forward's own errors.
 *
 * @example
 * const report = await verify(model, x, { steps: 100, batch: 4 });
 * if (!report.passed) console.log(report.output.worst);
 * const onWasm = await verify(model, x, { steps: 100, batch: 4, prefer: 'wasm' });
 */
export async function verify(model: LSTM, x: ArrayLike<number>, options: VerifyOptions): Promise<VerifyReport & VerifySubject> {
  if (options === null || typeof options !== 'object') throw invalidArgument(`options: expected { steps, batch, ... }, got ${describeValue(options)}`);
  const { tolerance, prefer = 'webgpu', gpu, wasm, backend: given, ...forward } = options;
  checkKnownKeys('verify options', options, [...kForwardOptionKeys, ...kVerifyKeys]);
  if (prefer !== 'webgpu' && prefer !== 'wasm') throw invalidArgument(`options.prefer: expected 'webgpu' or 'wasm' (the backend judged against the float64 reference), got ${describeValue(prefer)}`);
  if (given !== undefined && given?.kind !== 'webgpu' && given?.kind !== 'wasm') {
    throw invalidArgument(`options.backend: expected an open WebGPU or wasm backend, got ${given === null || typeof given !== 'object' ? describeValue(given) : `a ${String(given.kind)} backend`}`);
  }
  const reference = referenceResult(model, x, forward);
  const backend = given ?? (await createBackend(prefer === 'wasm' ? { ...wasm, prefer } : { ...gpu, prefer }));
  try {
    const runner = await backend.load(model);
    try {
      const actual = await runner.forward(x, forward);
      return { ...compareResults(model.config, reference, actual, tolerance), kind: backend.kind as VerifySubject['kind'], reason: backend.reason, adapter: backend.adapter };
    } finally {
      runner.dispose();
    }
  } finally {
    if (backend !== given) backend.dispose();
  }
}

import { describeValue } from '../core/describe.js';
import type { BackendKind } from '../core/results.js';
import { CpuRunner } from '../cpu/runner.js';
import { acquireGpu, type AdapterSummary, type GpuContext, type GpuOptions } from '../gpu/context.js';
import { watchDevice, type DeviceLoss } from '../gpu/device-lost.js';
import type { ForwardLimits } from '../gpu/limits.js';
import { GpuRunner, type RunnerOptions } from '../gpu/runner.js';
import type { LSTM } from '../model/lstm.js';
import { invalidArgument, LstmError } from '../core/errors.js';
import { frontRunner, type Runner } from './runner.js';
import { CpuTrainingBackend } from '../cpu/training-backend.js';
import { GpuTrainingBackend } from '../gpu/train/backend.js';
import { createTrainer, type Trainer } from './train/trainer.js';
import type { TrainOptions } from './train/types.js';
import { openWasmBackend } from './wasm-backend.js';
import type { WasmEngineOptions } from '../wasm/engine/engine.js';
import { checkKnownKeys } from '../core/nearest-key.js';

export type { Runner };

export type { BackendKind };
export type BackendPreference = BackendKind | 'auto';

export interface Backend {
  readonly kind: BackendKind;
  /** Why this backend was chosen, in words (for 'auto', what was missing when it chose the CPU). */
  readonly reason: string;
  /** The adapter in use; null on the CPU and wasm backends. */
  readonly adapter: AdapterSummary | null;
  /** The device in use; null on the CPU. */
  readonly device: GPUDevice | null;
  /** The limits forward calls are split to fit (the device's, lowered by `limits`); null on the CPU. */
  readonly limits: ForwardLimits | null;
  /**
   * Resolves when the device is lost (never on the CPU). Runners on it then reject every call with
   * DEVICE_LOST; the library never switches backend by itself. To carry on, create a new backend
   * (with 'auto' it is the CPU where no adapter is left) and load the same model on it.
   */
  readonly lost: Promise<DeviceLoss>;
  /** On the wasm backend, the threads a call runs on (the calling thread included); absent on the others. */
  readonly threads?: number;
  /** On the wasm backend, why that many threads (e.g. a page that is not cross-origin isolated); absent on the others. */
  readonly threadsReason?: string;
  /** Uploads the model; `options` tune the GPU path and are ignored on the CPU. */
  load(model: LSTM, options?: RunnerOptions): Promise<Runner>;
  /**
   * Starts training a model that has a head (docs/training.md): checks `options` against
   * the model and holds the parameters and optimizer state on this backend.
   */
  train(model: LSTM, options: TrainOptions): Promise<Trainer>;
  /** Destroys the device if the library created it. */
  dispose(): void;
}

export interface BackendOptions extends GpuOptions, WasmEngineOptions {
  /**
   * 'auto' (default) chooses by speed: WebGPU on a hardware adapter; the float32 wasm engine where
   * there is no adapter or only a software one (SwiftShader, llvmpipe, WARP: CPU speed behind a GPU
   * API), unless `allowSoftwareAdapter: true` asks for it; the float64 CPU reference only where
   * WebAssembly has no SIMD. `reason` says which and why. 'webgpu', 'wasm' and 'cpu' take that
   * backend or fail with BACKEND_UNAVAILABLE saying what is missing.
   */
  readonly prefer?: BackendPreference;
}

/** The keys of BackendOptions: createBackend refuses any other (a misspelt `thread: 4` would pass silently). */
export const kBackendOptionKeys: readonly (keyof BackendOptions)[] = ['prefer', 'device', 'gpu', 'powerPreference', 'limits', 'allowSoftwareAdapter', 'threads', 'maxBytes', 'relaxedSimd'];

/** The `prefer` option, checked; 'auto' when not given. */
export function checkPreference(prefer: unknown): BackendPreference {
  if (prefer === undefined) return 'auto';
  if (prefer !== 'auto' && prefer !== 'webgpu' && prefer !== 'wasm' && prefer !== 'cpu') {
    throw invalidArgument(`prefer: expected 'webgpu', 'wasm', 'cpu' or 'auto', got ${describeValue(prefer)}`);
  }
  return prefer;
}

/** What 'auto' adds when it runs on a software adapter (asked for), so no one mistakes it for a GPU. */
const kSoftwareNote = ', a software adapter: CPU speed behind a GPU API, taken because allowSoftwareAdapter is true';

/** Why WebGPU was chosen, in words: requested, or found by 'auto' (saying so when it is software). */
export function webgpuReason(prefer: BackendPreference, adapter: AdapterSummary): string {
  if (prefer === 'webgpu') return 'the WebGPU backend was requested';
  return `auto: a WebGPU adapter was found (${adapter.vendor} ${adapter.architecture})${adapter.isSoftware ? kSoftwareNote : ''}`;
}

/**
 * Whether 'auto' passes over this adapter for the wasm engine: a software one, unless the caller
 * asked for it (allowSoftwareAdapter: true) or gave the device.
 */
export function autoSkipsAdapter(adapter: AdapterSummary, options: Pick<BackendOptions, 'allowSoftwareAdapter' | 'device'>): boolean {
  return adapter.isSoftware && options.allowSoftwareAdapter !== true && !options.device;
}

/** Why 'auto' passed over a software adapter, in words. */
export function softwareAdapterSkipped(adapter: AdapterSummary): string {
  const name = [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ');
  return `the WebGPU adapter is a software one (${name}): CPU speed behind a GPU API, slower than the wasm engine on the same cores (allowSoftwareAdapter: true takes it anyway)`;
}

/**
 * 'auto' without a usable GPU: the wasm engine, or the CPU reference where WebAssembly lacks SIMD.
 * `missing` says why there is no GPU.
 */
export async function cpuSideBackend(missing: string, options: WasmEngineOptions): Promise<Backend> {
  try {
    return await openWasmBackend(`auto: the wasm engine, because ${missing}`, options);
  } catch (error) {
    if (!(error instanceof LstmError) || error.code !== 'BACKEND_UNAVAILABLE') throw error;
    return cpuBackend(`auto: fell back to the CPU reference because ${missing}, and ${error.message}`);
  }
}

function cpuBackend(reason: string): Backend {
  return {
    kind: 'cpu',
    reason,
    adapter: null,
    device: null,
    limits: null,
    lost: new Promise<DeviceLoss>(() => {}),
    load: async (model) => frontRunner(model, new CpuRunner(model)),
    train: (model, options) => createTrainer(model, options, (m, setup) => new CpuTrainingBackend(m, setup)),
    dispose: () => {},
  };
}

/**
 * Chooses and opens a backend.
 *
 * @example
 * const backend = await createBackend({ prefer: 'auto' });
 * console.log(backend.kind, backend.reason, backend.adapter?.architecture);
 * const runner = await backend.load(model);
 */
export async function createBackend(options: BackendOptions = {}): Promise<Backend> {
  if (options !== null && typeof options === 'object') checkKnownKeys('createBackend', options, kBackendOptionKeys);
  const prefer = checkPreference(options.prefer);
  if (prefer === 'cpu') return cpuBackend('the CPU backend was requested');
  if (prefer === 'wasm') return openWasmBackend('the wasm backend was requested', options);
  let context;
  try {
    context = await acquireGpu(options);
  } catch (error) {
    // Only a missing WebGPU falls back; a bad option is the caller's to fix.
    if (prefer === 'webgpu' || !(error instanceof LstmError) || error.code !== 'BACKEND_UNAVAILABLE') throw error;
    return cpuSideBackend(error.message, options);
  }
  if (prefer === 'auto' && autoSkipsAdapter(context.adapter, options)) {
    if (context.ownsDevice) context.device.destroy();
    return cpuSideBackend(softwareAdapterSkipped(context.adapter), options);
  }
  return gpuBackend(context, prefer);
}

function gpuBackend(context: GpuContext, prefer: BackendPreference): Backend {
  const { device, adapter } = context;
  return {
    kind: 'webgpu',
    reason: webgpuReason(prefer, adapter),
    adapter,
    device,
    limits: context.limits,
    lost: watchDevice(device).lost,
    load: async (model, runnerOptions) => frontRunner(model, await GpuRunner.create(context, model, runnerOptions)),
    train: (model, options) => createTrainer(model, options, (m, setup) => GpuTrainingBackend.create(context, m, setup)),
    dispose: () => {
      if (context.ownsDevice) device.destroy();
    },
  };
}

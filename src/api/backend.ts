import { describeValue } from '../core/describe.js';
import { CpuRunner } from '../cpu/runner.js';
import { acquireGpu, type AdapterSummary, type GpuOptions } from '../gpu/context.js';
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

export type { Runner };

export type BackendKind = 'webgpu' | 'cpu';
export type BackendPreference = BackendKind | 'auto';

export interface Backend {
  readonly kind: BackendKind;
  /** Why this backend was chosen, in words (for 'auto', what was missing when it chose the CPU). */
  readonly reason: string;
  /** The adapter in use; null on the CPU. */
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

export interface BackendOptions extends GpuOptions {
  /**
   * 'auto' (default) takes WebGPU where an adapter exists, else the CPU; 'webgpu' fails without one.
   * With `allowSoftwareAdapter: false`, a software adapter counts as none.
   */
  readonly prefer?: BackendPreference;
}

/** The `prefer` option, checked; 'auto' when not given. */
export function checkPreference(prefer: unknown): BackendPreference {
  if (prefer === undefined) return 'auto';
  if (prefer !== 'auto' && prefer !== 'webgpu' && prefer !== 'cpu') {
    throw invalidArgument(`prefer: expected 'webgpu', 'cpu' or 'auto', got ${describeValue(prefer)}`);
  }
  return prefer;
}

/** What 'auto' adds when the adapter it found is a software one, so no one mistakes it for a GPU. */
const kSoftwareNote = ', a software adapter: CPU speed behind a GPU API (allowSoftwareAdapter: false takes the CPU instead)';

/** Why WebGPU was chosen, in words: requested, or found by 'auto' (saying so when it is software). */
export function webgpuReason(prefer: BackendPreference, adapter: AdapterSummary): string {
  if (prefer === 'webgpu') return 'the WebGPU backend was requested';
  return `auto: a WebGPU adapter was found (${adapter.vendor} ${adapter.architecture})${adapter.isSoftware ? kSoftwareNote : ''}`;
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
  const prefer = checkPreference(options.prefer);
  if (prefer === 'cpu') return cpuBackend('the CPU backend was requested');
  let context;
  try {
    context = await acquireGpu(options);
  } catch (error) {
    // Only a missing WebGPU falls back; a bad option is the caller's to fix.
    if (prefer === 'webgpu' || !(error instanceof LstmError) || error.code !== 'BACKEND_UNAVAILABLE') throw error;
    return cpuBackend(`auto: fell back to the CPU because ${error.message}`);
  }
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

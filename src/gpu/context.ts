import { LstmError } from '../core/errors.js';
import { gpuWait } from './gpu-wait.js';
import { checkRequestedLimits, effectiveLimits, type ForwardLimits, type RequestedLimits } from './limits.js';

/** What the adapter says about itself, as data (shown by the CLI, the bench and the demo). */
export interface AdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** A software rasteriser (SwiftShader, llvmpipe, WARP): its timings are CPU timings. */
  readonly isSoftware: boolean;
  readonly features: readonly string[];
}

export interface GpuContext {
  readonly device: GPUDevice;
  readonly adapter: AdapterSummary;
  /** Whether the library created the device (and so may destroy it). */
  readonly ownsDevice: boolean;
  /** What forward calls are planned against: the device's limits, lowered where the caller asked. */
  readonly limits: ForwardLimits;
}

export interface GpuOptions {
  /** Use this device instead of requesting one; the library never destroys a caller's device. */
  readonly device?: GPUDevice;
  /** The GPU entry point; `navigator.gpu` by default. */
  readonly gpu?: GPU;
  readonly powerPreference?: GPUPowerPreference;
  /** Smaller buffer or dispatch limits to plan forward calls against (each min(device's, this)). */
  readonly limits?: RequestedLimits;
  /**
   * Whether a software adapter (SwiftShader, llvmpipe, WARP, or one marked as fallback: CPU speed
   * behind a GPU API) may serve; true by default. When false such an adapter is
   * BACKEND_UNAVAILABLE, so 'auto' takes the CPU. A caller's `device` is always used as given.
   */
  readonly allowSoftwareAdapter?: boolean;
}

/** Features the kernels use where the adapter has them (src/gpu/plan.ts, src/gpu/weight-storage.ts). */
const kOptionalFeatures: GPUFeatureName[] = ['subgroups', 'shader-f16'];

const kSoftwareAdapters = /swiftshader|llvmpipe|lavapipe|microsoft basic render|warp/i;

export function summarizeAdapter(info: GPUAdapterInfo, features: GPUSupportedFeatures): AdapterSummary {
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isSoftware: kSoftwareAdapters.test(text) || (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true,
    features: [...features].sort(),
  };
}

/** Whether this is Node (or a runtime that says it is), where navigator.gpu never exists. */
function isNode(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof process?.versions?.node === 'string' && typeof (globalThis as { window?: unknown }).window === 'undefined';
}

function unavailable(reason: string): LstmError {
  return new LstmError('BACKEND_UNAVAILABLE', `WebGPU backend unavailable: ${reason}`);
}

/**
 * Finds an adapter and creates a device with the adapter's largest buffer limits (long sequences
 * and large batches need them), or wraps the caller's device. Throws BACKEND_UNAVAILABLE with the
 * reason when there is no WebGPU or no adapter.
 */
export async function acquireGpu(options: GpuOptions = {}): Promise<GpuContext> {
  const requested = checkRequestedLimits(options.limits);
  if (options.device) {
    const device = options.device;
    return { device, adapter: summarizeAdapter(device.adapterInfo, device.features), ownsDevice: false, limits: effectiveLimits(device, requested) };
  }
  const gpu = options.gpu ?? (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu && isNode()) {
    // Node has no navigator.gpu of its own: the Node entry point opens Dawn or headless Chromium.
    throw unavailable(
      "in Node there is no navigator.gpu: createNodeBackend from 'webgpu-lstm/node' opens WebGPU " +
        "(Dawn in this process, else headless Chromium); createBackend({ gpu: await dawnGpu() }) gives Dawn alone.",
    );
  }
  if (!gpu) {
    throw unavailable(
      'navigator.gpu is undefined. WebGPU needs a browser that supports it (Chrome/Edge 113+, Safari 26+, ' +
        'Firefox 141+ on Windows) and a secure context (https:// or http://localhost); headless Chromium ' +
        'also needs --enable-unsafe-webgpu (and --enable-unsafe-swiftshader without a GPU).',
    );
  }
  const adapter = await gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : undefined);
  if (!adapter) {
    throw unavailable('navigator.gpu.requestAdapter() returned no adapter (no usable GPU, or WebGPU is blocked for this GPU or driver).');
  }
  const summary = summarizeAdapter(adapter.info, adapter.features);
  if (summary.isSoftware && options.allowSoftwareAdapter === false) {
    throw unavailable(
      `the adapter found is a software one (${summary.vendor} ${summary.architecture}${summary.description ? `, ${summary.description}` : ''}) and allowSoftwareAdapter is false`,
    );
  }
  let device: GPUDevice;
  try {
    device = await gpuWait(() => adapter.requestDevice({
      label: 'webgpu-lstm',
      // subgroups: the split-K step's subgroupAdd; shader-f16: opt-in f16 weights. Only what the adapter has.
      requiredFeatures: kOptionalFeatures.filter((feature) => adapter.features.has(feature)),
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    }));
  } catch (error) {
    // An adapter that cannot give a device is as unusable as no adapter: 'auto' falls back on it.
    throw unavailable(`the adapter refused to create a device: ${(error as Error).message}`);
  }
  return { device, adapter: summary, ownsDevice: true, limits: effectiveLimits(device, requested) };
}

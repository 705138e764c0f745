import { LstmError } from '../../core/errors.js';
import { summarizeAdapter } from '../../gpu/context.js';
import { paceDawnEvents } from './event-pacing.js';
import { loadDawn, type DawnModule } from './load.js';
import { explainNoVulkanAdapter, kIcdEnvVar, swiftShaderCandidate } from './vulkan.js';

export interface DawnOptions {
  /**
   * Dawn's instance flags, `name=value` (for example `backend=vulkan`, `adapter=<name>`); none by
   * default. See the `webgpu` package's README.
   */
  readonly flags?: readonly string[];
}

const instances = new Map<string, Promise<GPU>>();

/**
 * WebGPU in Node without a browser: Dawn's `GPU` entry point (what `navigator.gpu` is in a
 * browser), from the optional `webgpu` package, imported on first call. Resolves once Dawn has
 * found an adapter; pass it on as `createBackend({ gpu })`. One instance per set of flags.
 *
 * On a software adapter (SwiftShader) it paces Dawn's event polling, which would otherwise spin
 * one core while GPU work is pending (see event-pacing.ts): while one of the library's own waits
 * is pending, and only then, `setImmediate` is wrapped, passing every callback but Dawn's through.
 *
 * Where no Vulkan driver is named (VK_ICD_FILENAMES, VK_DRIVER_FILES) and the system's give Dawn
 * no adapter (a machine without a GPU: Mesa's lavapipe is refused), it tries SwiftShader's ICD:
 * the manifest named by WEBGPU_LSTM_VK_ICD, else the one Chromium or Chrome installs at its known
 * place (README, "In Node"). dawnDriverOf(gpu) says which driver it was.
 *
 * Rejects with BACKEND_UNAVAILABLE saying what is missing and how to install it: the `webgpu`
 * package, its native module, the Vulkan loader (libvulkan1) or a Vulkan driver (on a machine
 * without a GPU: VK_ICD_FILENAMES pointing at SwiftShader's ICD, which Chromium ships).
 *
 * @example
 * const backend = await createBackend({ prefer: 'webgpu', gpu: await dawnGpu() });
 */
export function dawnGpu(options: DawnOptions = {}): Promise<GPU> {
  const flags = [...(options.flags ?? [])];
  const key = flags.join('\n');
  let instance = instances.get(key);
  if (!instance) {
    instance = openDawn(flags);
    instances.set(key, instance);
    // A failure is not kept: the user may install a driver or set VK_ICD_FILENAMES and try again.
    instance.catch(() => instances.delete(key));
  }
  return instance;
}

/** Where Dawn's driver came from, in words for `reason`; by GPU object (dawnGpu's result). */
const drivers = new WeakMap<GPU, string>();

/**
 * The driver Dawn runs on, for `reason`: the Vulkan driver named by VK_ICD_FILENAMES, the system's
 * own, or the SwiftShader ICD the library found by itself (with where). Null for a GPU object that
 * dawnGpu did not make.
 */
export function dawnDriverOf(gpu: GPU): string | null {
  return drivers.get(gpu) ?? null;
}

async function openDawn(flags: string[]): Promise<GPU> {
  const dawn = await loadDawn();
  const named = process.env.VK_DRIVER_FILES ? 'VK_DRIVER_FILES' : process.env.VK_ICD_FILENAMES ? 'VK_ICD_FILENAMES' : null;
  let opened = await firstAdapter(dawn, flags);
  let driver = named ? `the Vulkan driver named by ${named}=${process.env[named]}` : "the system's Vulkan driver";
  let tried: string | null = null;
  // With no driver named, a machine without a GPU driver Dawn accepts (Mesa's lavapipe is refused)
  // runs on the SwiftShader ICD a browser ships, as Chromium's own WebGPU does there.
  if (!opened.adapter && !named && process.platform === 'linux') {
    tried = swiftShaderCandidate();
    if (tried) {
      opened = await withIcd(tried, () => firstAdapter(dawn, flags));
      const which = process.env[kIcdEnvVar] ? `the Vulkan ICD ${tried} named by ${kIcdEnvVar}` : `SwiftShader's Vulkan ICD ${tried}, found by the library`;
      driver = `${which} (the system's Vulkan drivers gave Dawn no adapter)`;
    }
  }
  const { gpu, adapter } = opened;
  if (!adapter) {
    const why =
      process.platform === 'linux'
        ? `${tried ? `neither the system's Vulkan drivers nor ${tried} gave an adapter; ` : ''}${explainNoVulkanAdapter()}`
        : `no adapter on ${process.platform === 'darwin' ? 'Metal' : process.platform === 'win32' ? 'Direct3D 12 or Vulkan' : 'this platform'}; update the GPU driver`;
    throw new LstmError('BACKEND_UNAVAILABLE', `Dawn found no WebGPU adapter: ${why}`);
  }
  drivers.set(gpu, `${driver}${adapter.info.description ? `, "${adapter.info.description}"` : ''}`);
  // On a software adapter Dawn's event polling would spin a core the adapter computes on.
  if (summarizeAdapter(adapter.info, adapter.features).isSoftware) paceDawnEvents();
  return gpu;
}

/** A Dawn instance and its first adapter (null when none): the Vulkan loader reads its drivers then. */
async function firstAdapter(dawn: DawnModule, flags: string[]): Promise<{ gpu: GPU; adapter: GPUAdapter | null }> {
  let gpu: GPU;
  try {
    gpu = dawn.create(flags);
  } catch (error) {
    throw new LstmError('BACKEND_UNAVAILABLE', `Dawn could not start with flags ${JSON.stringify(flags)}: ${(error as Error).message}`);
  }
  return { gpu, adapter: await gpu.requestAdapter() };
}

/**
 * Runs `open` with VK_ICD_FILENAMES naming `icd`, then puts the variable back: the loader reads it
 * while Dawn enumerates adapters (measured: once an instance found its adapter, later requests and
 * devices need it no more), so the user's process, and the children it starts, keep their own.
 */
async function withIcd<T>(icd: string, open: () => Promise<T>): Promise<T> {
  const before = process.env.VK_ICD_FILENAMES;
  process.env.VK_ICD_FILENAMES = icd;
  try {
    return await open();
  } finally {
    if (before === undefined) delete process.env.VK_ICD_FILENAMES;
    else process.env.VK_ICD_FILENAMES = before;
  }
}

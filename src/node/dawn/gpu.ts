import { LstmError } from '../../core/errors.js';
import { summarizeAdapter } from '../../gpu/context.js';
import { paceDawnEvents } from './event-pacing.js';
import { loadDawn } from './load.js';
import { explainNoVulkanAdapter } from './vulkan.js';

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
 * one core while GPU work is pending (see event-pacing.ts): `setImmediate` is wrapped for the
 * process, passing every callback but Dawn's straight through.
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

async function openDawn(flags: string[]): Promise<GPU> {
  const dawn = await loadDawn();
  let gpu: GPU;
  try {
    gpu = dawn.create(flags);
  } catch (error) {
    throw new LstmError('BACKEND_UNAVAILABLE', `Dawn could not start with flags ${JSON.stringify(flags)}: ${(error as Error).message}`);
  }
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    const why =
      process.platform === 'linux'
        ? explainNoVulkanAdapter()
        : `no adapter on ${process.platform === 'darwin' ? 'Metal' : process.platform === 'win32' ? 'Direct3D 12 or Vulkan' : 'this platform'}; update the GPU driver`;
    throw new LstmError('BACKEND_UNAVAILABLE', `Dawn found no WebGPU adapter: ${why}`);
  }
  // On a software adapter Dawn's event polling would spin a core the adapter computes on.
  if (summarizeAdapter(adapter.info, adapter.features).isSoftware) paceDawnEvents();
  return gpu;
}

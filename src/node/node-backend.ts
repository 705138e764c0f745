import { autoSkipsAdapter, checkPreference, cpuSideBackend, createBackend, kBackendOptionKeys, softwareAdapterSkipped, webgpuReason, type Backend, type BackendOptions } from '../api/backend.js';
import { checkKnownKeys } from '../core/nearest-key.js';
import { describeValue } from '../core/describe.js';
import { invalidArgument, LstmError } from '../core/errors.js';
import type { BrowserSessionOptions } from './chromium/browser-session.js';
import { dawnDriverOf, dawnGpu, type DawnOptions } from './dawn/gpu.js';

/** Where WebGPU runs in Node: Dawn in this process, or a headless Chromium page. */
export type NodeRuntime = 'dawn' | 'chromium';

export interface NodeBackendOptions extends Omit<BackendOptions, 'gpu' | 'device'> {
  /**
   * 'dawn' (Dawn's `webgpu` package, in this process), 'chromium' (a headless Chromium page), or
   * 'auto' (default): Dawn where it finds an adapter, else Chromium. What was chosen, and why, is
   * in `reason`. Ignored when `prefer` is 'cpu'.
   */
  readonly runtime?: NodeRuntime | 'auto';
  readonly dawn?: DawnOptions;
  readonly chromium?: BrowserSessionOptions;
}

export interface NodeBackend extends Backend {
  /** Where the WebGPU work runs; null on the CPU. */
  readonly runtime: NodeRuntime | null;
  /** The browser's version for the 'chromium' runtime; null otherwise. */
  readonly browser: string | null;
  /** dispose(), then waits until a browser the backend started has exited. */
  close(): Promise<void>;
}

const kRuntimes = ['auto', 'dawn', 'chromium'] as const;

/**
 * createBackend for Node: WebGPU through Dawn or headless Chromium; for 'auto' only on a hardware
 * adapter (or a software one with allowSoftwareAdapter: true), else the wasm engine (the float64
 * CPU reference where WebAssembly lacks SIMD). 'wasm' and 'cpu' run in this process.
 * Never silent: `reason` says which runtime ran and why the others did not. With prefer 'webgpu',
 * no usable runtime is BACKEND_UNAVAILABLE naming what each one lacked and how to install it.
 *
 * @example
 * const backend = await createNodeBackend({ prefer: 'webgpu' }); // runtime 'auto': Dawn first
 * console.log(backend.runtime, backend.adapter?.description, backend.reason);
 */
export async function createNodeBackend(options: NodeBackendOptions = {}): Promise<NodeBackend> {
  if (options !== null && typeof options === 'object') checkKnownKeys('createNodeBackend', options, [...kBackendOptionKeys, 'runtime', 'dawn', 'chromium']);
  const { runtime = 'auto', dawn, chromium, ...backendOptions } = options;
  if (!kRuntimes.includes(runtime)) throw invalidArgument(`runtime: expected 'dawn', 'chromium' or 'auto', got ${describeValue(runtime)}`);
  const prefer = checkPreference(backendOptions.prefer);
  if (prefer === 'cpu' || prefer === 'wasm') return onCpu(await createBackend(backendOptions));
  const failures: string[] = [];
  const attempts: NodeRuntime[] = runtime === 'auto' ? ['dawn', 'chromium'] : [runtime];
  for (const attempt of attempts) {
    try {
      const backend: NodeBackend & { driver?: string | null } = attempt === 'dawn' ? await openDawn(backendOptions, dawn) : await openChromium(backendOptions, chromium);
      const driver = backend.driver ? ` on ${backend.driver}` : '';
      const why = runtime === 'auto' ? `runtime auto: ${failures.length ? `${failures.join('; ')}, so ` : ''}${describeRuntime(backend)}${driver}` : `runtime '${attempt}' was requested${driver}`;
      const { driver: _driver, ...opened } = backend;
      if (prefer === 'auto' && autoSkipsAdapter(backend.adapter!, backendOptions)) {
        // Another runtime on this machine would find the same software rasteriser: stop looking.
        await backend.close();
        failures.push(`${attempt === 'dawn' ? 'Dawn' : 'Chromium'}${driver}: ${softwareAdapterSkipped(backend.adapter!)}`);
        break;
      }
      return { ...opened, reason: `${webgpuReason(prefer, backend.adapter!)}; ${why}` };
    } catch (error) {
      if (!(error instanceof LstmError) || error.code !== 'BACKEND_UNAVAILABLE') throw error;
      // The one runtime asked for fails as itself; 'auto' names each runtime it tried.
      if (runtime !== 'auto' && prefer === 'webgpu') throw error;
      failures.push(runtime === 'auto' ? `${attempt === 'dawn' ? 'Dawn' : 'Chromium'} is unavailable (${error.message})` : error.message);
    }
  }
  const missing = failures.join('; ');
  if (prefer === 'webgpu') throw new LstmError('BACKEND_UNAVAILABLE', missing);
  return onCpu(await cpuSideBackend(missing, backendOptions));
}

function describeRuntime(backend: NodeBackend): string {
  return backend.runtime === 'dawn' ? 'Dawn found an adapter in this process' : `headless Chromium runs it (${backend.browser})`;
}

function onCpu(backend: Backend): NodeBackend {
  return { ...backend, runtime: null, browser: null, close: async () => backend.dispose() };
}

async function openDawn(options: BackendOptions, dawn: DawnOptions | undefined): Promise<NodeBackend & { driver: string | null }> {
  const gpu = await dawnGpu(dawn);
  const backend = await createBackend({ ...options, prefer: 'webgpu', gpu });
  return { ...backend, runtime: 'dawn', browser: null, driver: dawnDriverOf(gpu), close: async () => backend.dispose() };
}

async function openChromium(options: BackendOptions, chromium: BrowserSessionOptions | undefined): Promise<NodeBackend> {
  // Imported here, so a Dawn or CPU user never loads puppeteer-core.
  const { openPageBackend } = await import('./page-backend.js');
  const backend = await openPageBackend(options, chromium);
  return { ...backend, runtime: 'chromium' };
}

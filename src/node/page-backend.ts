import type { Backend, BackendOptions, Runner } from '../api/backend.js';
import type { ForwardOptions } from '../core/forward-options.js';
import { isGpuBuffer } from '../core/gpu-buffer.js';
import { LstmError } from '../core/errors.js';
import type { AdapterSummary } from '../gpu/context.js';
import type { DeviceLoss } from '../gpu/device-lost.js';
import { BrowserSession, type BrowserSessionOptions } from './chromium/browser-session.js';
import { remoteForward } from './chromium/remote.js';

/** A backend whose WebGPU work runs in a headless Chromium page (the 'chromium' runtime). */
export interface PageBackend extends Backend {
  /** The browser's version string, e.g. "Chrome/139.0.7258.154". */
  readonly browser: string;
  /** Closes the browser; dispose() starts the same without waiting. */
  close(): Promise<void>;
}

/**
 * Opens headless Chromium and confirms a WebGPU adapter in its page. Forward calls travel to the
 * page as JSON (src/node/chromium/remote.ts), and each opens its own device there: this runtime is
 * for comparison and for machines where Dawn cannot load, not for speed. `device` and `limits` are
 * null here (they live in the page).
 */
export async function openPageBackend(options: Pick<BackendOptions, 'powerPreference' | 'allowSoftwareAdapter'>, session?: BrowserSessionOptions): Promise<PageBackend> {
  const browser = await BrowserSession.open(session);
  const probe = await browser.page.evaluate(async (backendOptions) => {
    const lib = (window as unknown as { webgpuLstm: typeof import('../index.js') }).webgpuLstm;
    try {
      const backend = await lib.createBackend({ ...backendOptions, prefer: 'webgpu' });
      backend.dispose();
      return { adapter: backend.adapter, message: null };
    } catch (error) {
      return { adapter: null, message: `${(error as { code?: string }).code ?? 'Error'}: ${(error as Error).message}` };
    }
  }, options);
  if (!probe.adapter) {
    await browser.close();
    throw new LstmError('BACKEND_UNAVAILABLE', `headless Chromium (${browser.browserVersion}) has no usable WebGPU adapter: ${probe.message}`);
  }
  const adapter: AdapterSummary = probe.adapter;
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= browser.close());
  return {
    kind: 'webgpu',
    reason: 'the WebGPU backend was requested',
    adapter,
    device: null,
    limits: null,
    browser: browser.browserVersion,
    // Each call has its own device in the page; a loss there fails that call alone.
    lost: new Promise<DeviceLoss>(() => {}),
    load: async (model, runnerOptions): Promise<Runner> => {
      let disposed = false;
      return {
        kind: 'webgpu',
        model,
        gpuBytes: 0,
        forward: (async (x: ArrayLike<number> | GPUBuffer, forwardOptions: ForwardOptions & { output?: 'cpu' | 'gpu' }) => {
          if (disposed || closing) throw new LstmError('DISPOSED', 'forward: this runner or its Chromium backend was disposed; load the model again');
          // The page has its own device: no buffer of this process can reach it, and none can come back.
          if (isGpuBuffer(x) || forwardOptions?.output === 'gpu') {
            throw new LstmError('BACKEND_UNAVAILABLE', "forward: the 'chromium' runtime takes and gives numbers; for x or results as GPUBuffers use runtime 'dawn', or the library in the page itself");
          }
          return (await remoteForward(browser, model, x, forwardOptions, runnerOptions)).result;
        }) as Runner['forward'],
        // Each call loads the model in its own page device, so there is nothing to keep warm or streaming.
        warmup: async () => {},
        plan: () => ({
          backend: 'webgpu',
          kind: 'per call',
          kernel: 'chosen in the page',
          reason: "the 'chromium' runtime loads the model in a new page device for each call, where the cost model chooses (runner.plan of the library in the page, or runtime 'dawn', shows the choice)",
          choice: runnerOptions?.recurrence ?? 'auto',
          device: adapter.description || adapter.vendor,
          costsSource: 'none',
          predictions: [],
        }),
        stream: () => {
          throw new LstmError('BACKEND_UNAVAILABLE', "stream: the 'chromium' runtime runs forward calls only; stream with runtime 'dawn', in the page itself, or on the CPU");
        },
        dispose: () => {
          disposed = true;
        },
      };
    },
    train: async () => {
      throw new LstmError('BACKEND_UNAVAILABLE', "train: the 'chromium' runtime runs forward calls only; train with runtime 'dawn' or on the CPU");
    },
    dispose: () => void close(),
    close,
  };
}

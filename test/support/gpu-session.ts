import { resolve } from 'node:path';
import { BrowserSession } from '../../src/node/chromium/browser-session.js';
import type { AdapterSummary } from '../../src/gpu/context.js';

export const kDistDir = resolve(__dirname, '../../dist');

/**
 * A headless Chromium page with the built library loaded and a WebGPU adapter confirmed. A missing
 * browser or adapter fails the test with the reason and the fix — GPU tests never skip.
 */
export async function openGpuSession(): Promise<{ session: BrowserSession; adapter: AdapterSummary }> {
  const session = await BrowserSession.open({ libraryDir: kDistDir });
  const probe = await session.page.evaluate(async () => {
    const lib = (window as unknown as { webgpuLstm: typeof import('../../src/index.js') }).webgpuLstm;
    try {
      const backend = await lib.createBackend({ prefer: 'webgpu' });
      backend.dispose();
      return { adapter: backend.adapter, error: null };
    } catch (error) {
      return { adapter: null, error: (error as Error).message };
    }
  });
  if (!probe.adapter) {
    await session.close();
    throw new Error(
      `GPU tests need a WebGPU adapter in headless Chromium, and there is none: ${probe.error}. ` +
        'Install Chromium (apt-get install -y chromium) or set CHROME_PATH to a Chrome with WebGPU; ' +
        'without a GPU it must be a build that ships SwiftShader.',
    );
  }
  return { session, adapter: probe.adapter };
}

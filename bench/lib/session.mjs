// Opens headless Chromium on the bench page, with the library and the peers' bundles served.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const kRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Folders the bench page loads from, by URL prefix. */
export const kRoutes = {
  '/bench/': resolve(kRoot, 'bench/page'),
  '/tfjs/': resolve(kRoot, 'node_modules/@tensorflow'),
  '/ort/': resolve(kRoot, 'node_modules/onnxruntime-web/dist'),
};

/**
 * @returns {Promise<{ page: import('puppeteer-core').Page, browserVersion: string, pageErrors: () => string[], close: () => Promise<void> }>}
 */
export async function openBenchPage() {
  const { BrowserSession } = await import(resolve(kRoot, 'dist/node.js'));
  const session = await BrowserSession.open({ libraryDir: resolve(kRoot, 'dist'), routes: kRoutes });
  try {
    await session.goto('/bench/index.html');
    await session.page.waitForFunction('window.benchReady === true', { timeout: 120_000 });
  } catch (error) {
    await session.close();
    throw new Error(`the bench page did not load: ${error instanceof Error ? error.message : error}; page errors: ${session.consoleErrors.join(' | ') || 'none'}`);
  }
  const errorsBefore = session.consoleErrors.length;
  return {
    page: session.page,
    browserVersion: session.browserVersion,
    /** Errors the bench page logged (not those of the launcher's own start page). */
    pageErrors: () => session.consoleErrors.slice(errorsBefore),
    close: () => session.close(),
  };
}

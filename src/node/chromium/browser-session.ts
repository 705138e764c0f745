import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { LstmError } from '../../core/errors.js';
import { chromeArgs, findChrome } from './chrome.js';
import { startStaticServer, type StaticServer } from './static-server.js';

export interface BrowserSessionOptions {
  /** A Chrome or Chromium binary; by default found by findChrome(). */
  readonly chromePath?: string;
  /** The built browser bundle (dist/); by default the folder this module was built into. */
  readonly libraryDir?: string;
  /** More folders to serve, by URL prefix (the benchmark's peers, the demo). */
  readonly routes?: Record<string, string>;
  /** Milliseconds to wait for the browser and the library to come up. */
  readonly timeoutMs?: number;
}

const kHarness = `<!doctype html><meta charset="utf-8"><title>webgpu-lstm</title><link rel="icon" href="data:,">
<script type="module">
  import * as lib from '/lib/index.js';
  window.webgpuLstm = lib;
  window.webgpuLstmReady = true;
</script>`;

/**
 * Headless Chromium with the library loaded in a page served from 127.0.0.1 — how Node code (the
 * CLI, the tests, the benchmark) runs the WebGPU backend. `window.webgpuLstm` is the public API.
 */
export class BrowserSession {
  /** Messages the page logged as errors, and uncaught exceptions. */
  readonly consoleErrors: string[] = [];

  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
    readonly server: StaticServer,
    readonly browserVersion: string,
    private readonly userDataDir: string,
  ) {}

  static async open(options: BrowserSessionOptions = {}): Promise<BrowserSession> {
    const executablePath = options.chromePath ?? findChrome();
    const libraryDir = options.libraryDir ?? dirname(fileURLToPath(import.meta.url));
    const server = await startStaticServer({ ...options.routes, '/lib/': libraryDir }, { '/': kHarness });
    const userDataDir = mkdtempSync(join(tmpdir(), 'webgpu-lstm-chrome-'));
    let browser: Browser;
    try {
      browser = await puppeteer.launch({
        executablePath,
        headless: true,
        args: chromeArgs(userDataDir),
        timeout: options.timeoutMs ?? 60_000,
        protocolTimeout: 30 * 60_000,
      });
    } catch (error) {
      await server.close();
      rmSync(userDataDir, { recursive: true, force: true });
      throw new LstmError('BACKEND_UNAVAILABLE', `could not start ${executablePath}: ${(error as Error).message}`);
    }
    const page = await browser.newPage();
    const session = new BrowserSession(browser, page, server, await browser.version(), userDataDir);
    page.on('console', (message) => {
      if (message.type() === 'error') session.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => session.consoleErrors.push(String(error)));
    try {
      await page.goto(`${server.url}/`);
      await page.waitForFunction('window.webgpuLstmReady === true', { timeout: options.timeoutMs ?? 60_000 });
    } catch (error) {
      await session.close();
      throw new LstmError(
        'BACKEND_UNAVAILABLE',
        `the library did not load in the browser from ${libraryDir} (run \`npm run build\` first?): ${(error as Error).message}; ` +
          `page errors: ${session.consoleErrors.join(' | ') || 'none'}`,
      );
    }
    return session;
  }

  /** Opens a page of the same server (for the demo or the benchmark pages). */
  async goto(path: string): Promise<void> {
    await this.page.goto(`${this.server.url}${path}`);
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.close();
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

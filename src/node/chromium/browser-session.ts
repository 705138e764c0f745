import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { LstmError } from '../../core/errors.js';
import { chromeArgs, findChrome } from './chrome.js';
import { ChromeProcess } from './chrome-process.js';
import { loadPuppeteer } from './load-puppeteer.js';
import { onProcessEnd } from './process-exit.js';
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
 *
 * Needs the optional peer dependency puppeteer-core (BACKEND_UNAVAILABLE without it). An idle
 * session never keeps Node alive, and however Node ends (a forgotten close(), process.exit(),
 * SIGINT, SIGTERM, SIGHUP) the browser is killed and its profile folder deleted.
 */
export class BrowserSession {
  /** Messages the page logged as errors, and uncaught exceptions. */
  readonly consoleErrors: string[] = [];
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly browser: Browser,
    private readonly chrome: ChromeProcess,
    readonly page: Page,
    readonly server: StaticServer,
    readonly browserVersion: string,
    /** The browser's profile folder (webgpu-lstm-chrome-* in the temporary folder); deleted on close. */
    readonly userDataDir: string,
    private readonly forgetCleanup: () => void,
  ) {}

  /** The browser process's id (the leader of its process group). */
  get browserPid(): number | undefined {
    return this.chrome.pid;
  }

  static async open(options: BrowserSessionOptions = {}): Promise<BrowserSession> {
    const puppeteer = await loadPuppeteer();
    const executablePath = options.chromePath ?? findChrome();
    const libraryDir = options.libraryDir ?? dirname(fileURLToPath(import.meta.url));
    const timeoutMs = options.timeoutMs ?? 60_000;
    const server = await startStaticServer({ ...options.routes, '/lib/': libraryDir }, { '/': kHarness });
    const userDataDir = mkdtempSync(join(tmpdir(), 'webgpu-lstm-chrome-'));
    const browserTmp = join(userDataDir, 'tmp');
    mkdirSync(browserTmp);
    const chrome = ChromeProcess.start(executablePath, puppeteer.defaultArgs({ headless: true, args: chromeArgs(userDataDir) }), browserTmp);
    const forgetCleanup = onProcessEnd(() => {
      chrome.kill();
      removeProfile(userDataDir);
    });
    let browser: Browser;
    try {
      browser = await startedWithin(timeoutMs, chrome, puppeteer.connect({ transport: chrome.transport, protocolTimeout: 30 * 60_000 }));
    } catch (error) {
      chrome.kill();
      await server.close();
      removeProfile(userDataDir);
      forgetCleanup();
      throw new LstmError('BACKEND_UNAVAILABLE', `could not start ${executablePath}: ${(error as Error).message}`);
    }
    const page = await browser.newPage();
    const session = new BrowserSession(browser, chrome, page, server, await browser.version(), userDataDir, forgetCleanup);
    page.on('console', (message) => {
      if (message.type() === 'error') session.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => session.consoleErrors.push(String(error)));
    try {
      await page.goto(`${server.url}/`);
      await page.waitForFunction('window.webgpuLstmReady === true', { timeout: timeoutMs });
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

  /** Closes the browser (waiting until its processes are gone), the server and the profile folder. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.browser.close().catch(() => undefined);
      await this.chrome.stop(5_000);
      await this.server.close();
      removeProfile(this.userDataDir);
      this.forgetCleanup();
    })();
    return this.closing;
  }
}

/** puppeteer.connect() over the pipe, unless the browser exits or `timeoutMs` passes first. */
async function startedWithin(timeoutMs: number, chrome: ChromeProcess, connecting: Promise<Browser>): Promise<Browser> {
  let timer: NodeJS.Timeout | undefined;
  const exited = chrome.exited.then(() => {
    throw new Error(`the browser exited during start-up (${chrome.failure()})`);
  });
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the browser did not answer within ${timeoutMs} ms (${chrome.failure()})`)), timeoutMs);
  });
  try {
    return await Promise.race([connecting, exited, late]);
  } finally {
    clearTimeout(timer);
    connecting.then((browser) => browser, () => undefined); // a late failure after the race is not unhandled
    exited.catch(() => undefined);
  }
}

function removeProfile(userDataDir: string): void {
  // Retries cover files a dying GPU process may still be writing (ENOTEMPTY).
  rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
}

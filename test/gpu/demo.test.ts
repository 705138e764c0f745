import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../../src/node/chromium/browser-session.js';

// The demo page (issue 4), built as it ships and loaded in headless Chromium. The browser must
// have a WebGPU adapter (SwiftShader will do): without one this file fails, it never skips.

const kRoot = resolve(__dirname, '../..');
const kDemoDist = resolve(kRoot, 'demo/dist');
const kScreenshots = resolve(kRoot, 'test-output/demo');
const kDemoUrl = '/demo/index.html';

/** Seed 004's printed table (forget, input, candidate, cell state, output, hidden), 4 decimals. */
const kSeed004Table = [
  { f: '0.6225', i: '0.6457', g: '0.6044', c: '0.3902', o: '0.6900', h: '0.2564' },
  { f: '0.7361', i: '0.7775', g: '0.9009', c: '0.9877', o: '0.8459', h: '0.6398' },
  { f: '0.8269', i: '0.8730', g: '0.9798', c: '1.6721', o: '0.9344', h: '0.8707' },
];
const kSeed004Future = '3.4827';

let session: BrowserSession;
/** Console errors logged before the demo opened (by the session's own start-up page), not the demo's. */
let errorsBeforeDemo = 0;

async function text(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (element) => (element.textContent ?? '').trim());
}

async function waitForReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.ready === 'true', { timeout: 60_000 });
}

/** Clicks Step once per step, checks the counter, and returns the table's values as seed 004 prints them. */
async function stepThrough(page: Page, steps: number): Promise<Record<string, string>[]> {
  for (let k = 0; k < steps; k++) await page.click('#inspector-step');
  expect(await text(page, '#inspector-position')).toBe(`Step ${steps} of ${steps}`);
  return page.$$eval('#inspector-table tbody tr', (rows) =>
    rows.map((row) =>
      Object.fromEntries(
        ['f', 'i', 'g', 'c', 'o', 'h'].map((key) => [key, (row.querySelector(`[data-testid$="-${key}"] .value`)?.textContent ?? '').trim()]),
      ),
    ),
  );
}

async function setField(page: Page, id: string, value: string | number): Promise<void> {
  await page.$eval(`#${id}`, (input, v) => ((input as HTMLInputElement).value = String(v)), value);
}

beforeAll(async () => {
  await build({ configFile: resolve(kRoot, 'demo/vite.config.ts'), logLevel: 'warn' });
  mkdirSync(kScreenshots, { recursive: true });
  // The session also serves dist/ for its own start-up page; the demo bundles the library itself.
  session = await BrowserSession.open({ libraryDir: resolve(kRoot, 'dist'), routes: { '/demo/': kDemoDist } });
  await session.page.setViewport({ width: 1280, height: 900 });
  errorsBeforeDemo = session.consoleErrors.length;
  await session.goto(kDemoUrl);
  await waitForReady(session.page);
  const backend = await session.page.$eval('#environment', (element) => (element as HTMLElement).dataset.backend);
  if (backend !== 'webgpu') {
    const status = await text(session.page, '#environment');
    throw new Error(
      `the demo found no WebGPU adapter in headless Chromium (${session.browserVersion}); it says: ${status}. ` +
        'Install Chromium with SwiftShader (apt-get install -y chromium) or set CHROME_PATH to a Chrome with WebGPU.',
    );
  }
});

afterAll(async () => {
  await session?.close();
});

describe('demo page', () => {
  it('shows seed 004 table from the GPU trace, step by step', async () => {
    const page = session.page;
    expect(await page.$eval('#inspector-source', (element) => (element as HTMLElement).dataset.backend)).toBe('webgpu');
    expect(await text(page, '#inspector-source')).toMatch(/Computed on the GPU \(WebGPU/);
    expect(await text(page, '#future-value')).toBe('—');
    const table = await stepThrough(page, 3);
    expect(table).toEqual(kSeed004Table);
    expect(await text(page, '#future-value')).toBe(kSeed004Future);
    // The CPU reference sits beside each value, with the difference.
    expect(await text(page, '#insp-3-c .ref')).toMatch(/^CPU 1\.672105\s*Δ /);
    // The diagram follows the table: at step 3 the forget gate shows step 3's value.
    expect(await page.$eval('#cell-diagram', (svg) => svg.getAttribute('data-step'))).toBe('3');
    expect(await text(page, '#cell-diagram .gate-value[data-gate="f"]')).toBe('0.8269');
  });

  it('plays the sequence from the start after Reset', async () => {
    const page = session.page;
    await page.click('#inspector-reset');
    expect(await text(page, '#inspector-position')).toBe('Step 0 of 3');
    expect(await text(page, '#future-value')).toBe('—');
    await page.click('#inspector-play');
    expect(await page.$eval('#inspector-play', (button) => button.getAttribute('aria-pressed'))).toBe('true');
    await page.waitForFunction(() => document.getElementById('inspector-position')?.textContent === 'Step 3 of 3', { timeout: 15_000 });
    await page.waitForFunction(() => document.getElementById('inspector-play')?.getAttribute('aria-pressed') === 'false');
    expect(await text(page, '#future-value')).toBe(kSeed004Future);
  });

  it('draws the cell diagram and the h and c charts with a legend', async () => {
    const page = session.page;
    expect(await page.$$eval('#cell-diagram .gate', (gates) => gates.length)).toBe(4);
    expect(await page.$$eval('#chart-h .series polyline', (lines) => lines.length)).toBe(4);
    expect(await page.$$eval('#chart-c .series polyline', (lines) => lines.length)).toBe(4);
    expect(await page.$$eval('#states-legend li', (items) => items.map((li) => li.textContent))).toEqual([
      'unit 1',
      'unit 2',
      'unit 3',
      'unit 4',
    ]);
    expect(await text(page, '#states-source')).toMatch(/Computed on the GPU/);
  });

  it('names the adapter and warns when it is a software one', async () => {
    const page = session.page;
    expect(await text(page, '#adapter-vendor')).not.toBe('');
    const software = await text(page, '#adapter-kind');
    if (software === 'software') expect(await text(page, '#software-warning')).toMatch(/software adapter/);
    expect(await text(page, '#race-adapter')).toMatch(/WebGPU adapter:/);
  });

  it('runs a small race to the end, with WebGPU, wasm and reference timings and a max error within tolerance', async () => {
    const page = session.page;
    await setField(page, 'race-batch', 2);
    await setField(page, 'race-steps', 20);
    await setField(page, 'race-input', 8);
    await setField(page, 'race-hidden', 16);
    await setField(page, 'race-reps', 2);
    await page.click('#race-run');
    await page.waitForSelector('#race-status:is([data-state="done"], [data-state="error"])', { timeout: 120_000 });
    expect(await text(page, '#race-status')).toMatch(/^Finished: 2 × 20 × 8 × 16/);
    const figures = await page.$$eval('.kpi dd', (items) => items.map((dd) => ({ id: dd.id, value: (dd as HTMLElement).dataset.value ?? '' })));
    const value = (id: string) => Number(figures.find((f) => f.id === id)?.value);
    expect(value('race-gpu-median')).toBeGreaterThan(0);
    expect(value('race-wasm-median')).toBeGreaterThan(0);
    expect(value('race-cpu-median')).toBeGreaterThan(0);
    expect(value('race-speedup')).toBeGreaterThan(0);
    expect(value('race-max-error')).toBeLessThan(1e-5);
    expect(await text(page, '#race-gpu-median')).toMatch(/\d (ms|s)/);
    expect(await text(page, '#race-wasm-median')).toMatch(/\d (ms|s)/);
    expect(await text(page, '#race-cpu-median')).toMatch(/\d (ms|s)/);
    // The headline is WebGPU against the fastest CPU engine, not against the reference.
    expect(await text(page, '#race-speedup')).toMatch(/WebGPU vs wasm \(f32\): about even|(WebGPU|wasm \(f32\)) is faster than (wasm \(f32\)|WebGPU)/);
    // The demo is served cross-origin isolated, so the wasm lane's worker runs threads.
    expect(await text(page, '#race-lane-notes li[data-engine="wasm"]')).toMatch(/\d threads?/);
    expect(await page.$$eval('#race-chart-host rect', (bars) => bars.length)).toBe(3);
    expect(await page.$$eval('#race-table tbody.race-group tr', (rows) => rows.length)).toBe(3);
    await page.screenshot({ path: resolve(kScreenshots, 'demo.png'), fullPage: true });
  });

  it('logged no console errors', () => {
    expect(session.consoleErrors.slice(errorsBeforeDemo)).toEqual([]);
  });

  it('still works on the CPU, and explains how to enable WebGPU, when the browser has none', async () => {
    const page = await session.page.browser().newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    try {
      await page.setViewport({ width: 1280, height: 900 });
      // As in a browser without WebGPU: navigator.gpu is undefined.
      await page.evaluateOnNewDocument(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined }));
      await page.goto(`${session.server.url}${kDemoUrl}`);
      await waitForReady(page);
      expect(await page.$eval('#environment', (element) => (element as HTMLElement).dataset.backend)).toBe('cpu');
      expect(await text(page, '#no-webgpu')).toMatch(/navigator\.gpu is undefined[\s\S]*How to enable it/);
      expect(await page.$eval('#inspector-source', (element) => (element as HTMLElement).dataset.backend)).toBe('cpu');
      expect(await stepThrough(page, 3)).toEqual(kSeed004Table);
      expect(await text(page, '#future-value')).toBe(kSeed004Future);
      // The race times the wasm engine against the reference.
      await setField(page, 'race-batch', 2);
      await setField(page, 'race-steps', 20);
      await page.click('#race-run');
      await page.waitForSelector('#race-status:is([data-state="done"], [data-state="error"])', { timeout: 120_000 });
      expect(await text(page, '#race-status')).toMatch(/^Finished/);
      const median = (id: string) => page.$eval(`#${id}`, (dd) => Number((dd as HTMLElement).dataset.value));
      expect(await median('race-cpu-median')).toBeGreaterThan(0);
      expect(await median('race-wasm-median')).toBeGreaterThan(0);
      expect(await median('race-max-error')).toBeLessThan(1e-5);
      expect(await text(page, '#race-gpu-median')).toMatch(/^—/);
      expect(await text(page, '#race-speedup')).toMatch(/wasm \(f32\)|about even/);
      expect(await page.$$eval('#race-table tbody.race-group tr', (rows) => rows.length)).toBe(2);
      await page.screenshot({ path: resolve(kScreenshots, 'demo-no-webgpu.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../../src/node/chromium/browser-session.js';

// The demo's "Train a forecaster" section (issue 13), built as it ships, in headless Chromium:
// a few epochs on the monthly births series, the loss chart growing epoch by epoch, the RMSEs
// beside the baselines, and a page that stays responsive (no main-thread task over 50 ms).

const kRoot = resolve(__dirname, '../..');
const kScreenshots = resolve(kRoot, 'test-output/demo');
const kEpochs = 4;

let session: BrowserSession;
let errorsBeforeDemo = 0;

async function text(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (element) => (element.textContent ?? '').trim());
}

/** Points on the loss chart's training line (0 before the first epoch). */
async function lossPoints(page: Page): Promise<number> {
  return page.evaluate(() => {
    const line = document.querySelector('#forecast-loss-chart .series[data-label="training"] polyline');
    return line ? (line.getAttribute('points') ?? '').trim().split(/\s+/).length : 0;
  });
}

beforeAll(async () => {
  await build({ configFile: resolve(kRoot, 'demo/vite.config.ts'), logLevel: 'warn' });
  mkdirSync(kScreenshots, { recursive: true });
  session = await BrowserSession.open({ libraryDir: resolve(kRoot, 'dist'), routes: { '/demo/': resolve(kRoot, 'demo/dist') } });
  await session.page.setViewport({ width: 1280, height: 900 });
  errorsBeforeDemo = session.consoleErrors.length;
  await session.goto('/demo/index.html');
  await session.page.waitForFunction(() => document.body.dataset.ready === 'true', { timeout: 60_000 });
});

afterAll(async () => {
  await session?.close();
});

describe('demo: train a forecaster', () => {
  it('trains on the monthly births series: the loss chart grows, the RMSEs appear beside the baselines, no long task', async () => {
    const page = session.page;
    expect(await page.$eval('#forecast-dataset', (element) => (element as HTMLSelectElement).value)).toBe('births-monthly');
    await page.$eval('#forecast-epochs', (input, epochs) => ((input as HTMLInputElement).value = String(epochs)), kEpochs);
    // Long tasks on the page's thread from the click on Train until the results are shown.
    await page.evaluate(() => {
      const tasks: number[] = [];
      (window as unknown as { longTasks: number[] }).longTasks = tasks;
      new PerformanceObserver((list) => list.getEntries().forEach((entry) => tasks.push(entry.duration))).observe({ type: 'longtask' });
    });
    await page.click('#forecast-train');
    const seen = new Set<number>();
    const deadline = Date.now() + 170_000;
    while ((await text(page, '#forecast-test-rmse')) === '—' && Date.now() < deadline) {
      seen.add(await lossPoints(page));
      const state = await page.$eval('#forecast-status', (element) => (element as HTMLElement).dataset.state);
      if (state === 'error') throw new Error(`training failed in the page: ${await text(page, '#forecast-status')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await page.$eval('#forecast-status', (element) => (element as HTMLElement).dataset.state)).toBe('done');
    expect(await lossPoints(page)).toBe(kEpochs);
    // The chart gained points while training: it was seen with fewer points than at the end.
    expect([...seen].filter((count) => count > 0 && count < kEpochs).length, `loss-chart point counts seen: ${[...seen]}`).toBeGreaterThan(0);

    expect(await text(page, '#forecast-test-rmse')).toMatch(/^[\d,]+(\.\d+)?$/);
    expect(await text(page, '#forecast-train-rmse')).toMatch(/^[\d,]+(\.\d+)?$/);
    // The baselines for this series (PyTorch, the last third): 15 206 and 7 525.
    // All four cards at one precision (four significant digits of the largest).
    expect(await text(page, '#forecast-persistence')).toBe('15,206');
    expect(await text(page, '#forecast-seasonal')).toBe('7,525');
    expect(await text(page, '#forecast-test-rmse')).toMatch(/^\d{1,3}(,\d{3})*$/);
    expect(await text(page, '#forecast-train-rmse')).toMatch(/^\d{1,3}(,\d{3})*$/);
    // One duration for the run: the status line's, and no second figure beside the backend.
    expect(await text(page, '#forecast-status')).toMatch(new RegExp(`^Finished: ${kEpochs} epochs in [\\d.]+ (s|ms)\\.$`));
    expect(await text(page, '#forecast-backend')).not.toMatch(/took|in all/);
    expect(await text(page, '#forecast-verdict')).toMatch(/^The model (beats both|does not beat)/);
    expect(await page.$$eval('#forecast-chart .series', (groups) => groups.map((g) => g.getAttribute('data-label')))).toEqual([
      'truth',
      'one step ahead (test part)',
      'forecast, 36 steps past the data',
    ]);
    expect(await page.$eval('#forecast-download', (button) => (button as HTMLButtonElement).disabled)).toBe(false);

    const backend = await page.$eval('#forecast-backend', (element) => (element as HTMLElement).dataset.backend);
    expect(await text(page, '#forecast-backend')).toMatch(backend === 'webgpu' ? /^Training on WebGPU/ : /^Training on the CPU: /);
    expect(backend, await text(page, '#forecast-backend')).toBe('webgpu');

    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    expect(longTasks.filter((ms) => ms > 50), 'main-thread tasks over 50 ms during training').toEqual([]);
    await (await page.$('#forecast-section'))!.screenshot({ path: resolve(kScreenshots, 'demo-forecast.png') });
  });

  it.each([1280, 390])('at %i px wide: nothing in the section is cut off, the charts have a legend and x ticks (screenshot)', async (width) => {
    const page = session.page;
    await page.setViewport({ width, height: 900 });
    try {
      // Every form control shows its whole value: its text fits inside it and it fits in its card.
      const clipped = await page.$$eval('#forecast-section select, #forecast-section input', (controls) =>
        controls
          .map((control) => {
            const element = control as HTMLSelectElement | HTMLInputElement;
            const box = element.getBoundingClientRect();
            const card = (element.closest('fieldset, .card, form') ?? document.body).getBoundingClientRect();
            const label = element instanceof HTMLSelectElement ? (element.selectedOptions[0]?.textContent ?? '') : element.value;
            const probe = document.createElement('span');
            probe.style.cssText = `position:absolute;visibility:hidden;white-space:nowrap;font:${getComputedStyle(element).font}`;
            probe.textContent = label;
            document.body.append(probe);
            // Room a select needs beside its text: padding and the arrow (about 24 px).
            const needed = probe.getBoundingClientRect().width + (element instanceof HTMLSelectElement ? 24 : 0);
            probe.remove();
            const fits = needed <= box.width + 1 && box.left >= card.left - 1 && box.right <= card.right + 1;
            return fits || element.type === 'file' || box.width === 0 ? null : `#${element.id}: "${label}" needs ${needed.toFixed(0)} px, has ${box.width.toFixed(0)}`;
          })
          .filter((entry) => entry !== null),
      );
      expect(clipped).toEqual([]);
      // Nothing runs past the section's right edge (the status line beside the progress bar did at 390 px).
      const overflowing = await page.$$eval('#forecast-section *', (elements) => {
        const section = document.querySelector('#forecast-section')!.getBoundingClientRect();
        return elements
          .filter((element) => !element.closest('svg') && element.getBoundingClientRect().width > 0 && element.getBoundingClientRect().right > section.right + 1)
          .map((element) => `${element.tagName.toLowerCase()}#${element.id}`);
      });
      expect(overflowing).toEqual([]);
      expect(await page.$$eval('#forecast-loss-legend li', (items) => items.map((li) => (li.textContent ?? '').trim()))).toEqual(['training', 'validation']);
      expect(await page.$$eval('#forecast-chart .x-axis text, #forecast-chart .tick-x text', (ticks) => ticks.length)).toBeGreaterThan(2);
      await (await page.$('#forecast-section'))!.screenshot({ path: resolve(kScreenshots, `demo-forecast-${width}.png`) });
      await page.screenshot({ path: resolve(kScreenshots, `demo-${width}.png`), fullPage: true });
    } finally {
      await page.setViewport({ width: 1280, height: 900 });
    }
  });

  it('Stop ends training between epochs and says after how many', async () => {
    const page = session.page;
    await page.$eval('#forecast-epochs', (input) => ((input as HTMLInputElement).value = '500'));
    await page.click('#forecast-train');
    await page.waitForFunction(() => document.querySelector('#forecast-loss-chart') !== null, { timeout: 120_000 });
    await page.click('#forecast-stop');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#forecast-status')?.dataset.state === 'stopped', { timeout: 10_000 });
    expect(await text(page, '#forecast-status')).toMatch(/^Stopped after \d+ epochs\.$/);
    expect(await page.$eval('#forecast-train', (button) => (button as HTMLButtonElement).disabled)).toBe(false);
    await page.$eval('#forecast-epochs', (input, epochs) => ((input as HTMLInputElement).value = String(epochs)), kEpochs);
  });

  it('says what is wrong with pasted data, in one line, without training', async () => {
    const page = session.page;
    await page.select('#forecast-dataset', 'own');
    await page.$eval('#forecast-text', (area) => ((area as HTMLTextAreaElement).value = 'month,value\n1,5\n2,five\n'));
    await page.click('#forecast-train');
    expect(await text(page, '#forecast-error')).toBe('your numbers: row 3, column "value": expected a number, got "five"');
    await page.$eval('#forecast-text', (area) => ((area as HTMLTextAreaElement).value = '1, 2, 3, 4'));
    await page.click('#forecast-train');
    expect(await text(page, '#forecast-error')).toMatch(/^your numbers: 4 values; --window 12 .* needs at least \d+$/);
    await page.select('#forecast-dataset', 'births-monthly');
  });

  it('logged no console errors', () => {
    expect(session.consoleErrors.slice(errorsBeforeDemo)).toEqual([]);
  });
});

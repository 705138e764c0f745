import { afterAll, beforeAll } from 'vitest';
import type * as Lib from '../../src/index.js';
import type { BrowserSession } from '../../src/node/chromium/browser-session.js';
import { bufferTracking } from './buffer-tracking.js';
import { openGpuSession } from './gpu-session.js';
import { createKit, type PageKit, type Scenario } from './kit.js';

export type { CheckReport, PageKit } from './kit.js';

/** The page's globals, for the functions tests evaluate there. */
export interface KitWindow {
  readonly webgpuLstm: typeof Lib;
  lstmKit: PageKit;
}

/** A GPU session (see openGpuSession) with the PageKit installed. */
export async function openKitSession(): Promise<{ session: BrowserSession; adapter: Lib.AdapterSummary }> {
  const opened = await openGpuSession();
  // The kit's and the tracker's sources, applied to the page's library and WebGPU classes.
  await opened.session.page.evaluate(`void (window.lstmKit = (${createKit})(window.webgpuLstm, (${bufferTracking})(window)))`);
  return opened;
}

/** One kit session for a test file: opened before its tests, closed after. Call the getter inside tests. */
export function useKitSession(): () => BrowserSession {
  let session: BrowserSession | undefined;
  beforeAll(async () => {
    ({ session } = await openKitSession());
  });
  afterAll(async () => {
    await session?.close();
  });
  return () => session!;
}

/**
 * Runs a scenario in the page on its `lstmKit`; the spec goes in as JSON (numbers, strings,
 * booleans, arrays, objects: no NaN), the result comes back by value.
 */
export function inPage<S, R>(session: BrowserSession, scenario: Scenario<S, R>, spec: S): Promise<R> {
  return session.page.evaluate(`(${scenario})(window.lstmKit, ${JSON.stringify(spec)})`) as Promise<R>;
}

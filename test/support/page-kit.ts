import { afterAll, beforeAll } from 'vitest';
import type * as Lib from '../../src/index.js';
import type { BrowserSession } from '../../src/node/chromium/browser-session.js';
import { installBufferTracking, type BufferTracker } from './buffer-tracking.js';
import { openGpuSession } from './gpu-session.js';

/** How a GPU result compares with the float64 reference, in a form that survives the trip out of the page. */
export interface CheckReport {
  readonly passed: boolean;
  readonly maxAbs: number;
  /** The worst element and both values, as text (NaN survives text, not JSON). */
  readonly worst: string;
}

/**
 * Helpers installed in the page once per session, for tests that run a whole scenario in the page
 * (large inputs, many calls, device loss) and bring back only a summary.
 */
export interface PageKit {
  /** A deterministic signal: sin(0.37·i + phase). */
  wave(length: number, phase?: number): Float64Array;
  /** The same call on the CPU reference, in the page, compared with `actual`. */
  check(model: Lib.LSTM, x: ArrayLike<number>, options: Lib.ForwardOptions, actual: Lib.ForwardResult, tolerance?: Lib.Tolerance): Promise<CheckReport>;
  /** Starts counting the page's GPU buffers (buffer-tracking.ts); stop() the tracker when done. */
  trackBuffers(): BufferTracker;
}

/** The page's globals, for the functions tests evaluate there. */
export interface KitWindow {
  readonly webgpuLstm: typeof Lib;
  lstmKit: PageKit;
}

/** A GPU session (see openGpuSession) with the PageKit installed. */
export async function openKitSession(): Promise<{ session: BrowserSession; adapter: Lib.AdapterSummary }> {
  const opened = await openGpuSession();
  await opened.session.page.evaluate(() => {
    const w = window as unknown as KitWindow;
    const lib = w.webgpuLstm;
    let cpu: Promise<Lib.Backend> | null = null;
    w.lstmKit = {
      // Replaced by installBufferTracking, which runs in the page next.
      trackBuffers: () => {
        throw new Error('trackBuffers: not installed');
      },
      wave: (length, phase = 0) => Float64Array.from({ length }, (_, i) => Math.sin(0.37 * i + phase)),
      async check(model, x, options, actual, tolerance) {
        cpu ??= lib.createBackend({ prefer: 'cpu' });
        const expected = await (await (await cpu).load(model)).forward(x, options);
        const report = lib.compareResults(model.config, expected, actual, tolerance);
        const worst = [report.output, report.hN, report.cN].reduce((a, b) => (b.maxAbs > a.maxAbs || Number.isNaN(b.maxAbs) ? b : a));
        const at = worst.worst ? `${JSON.stringify(worst.worst.at)}: cpu ${worst.worst.expected}, gpu ${worst.worst.actual}` : 'none';
        return { passed: report.passed, maxAbs: report.maxAbs, worst: at };
      },
    };
  });
  await opened.session.page.evaluate(installBufferTracking);
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

import type * as Lib from '../../src/index.js';
import type { BufferTracker } from './buffer-tracking.js';

/** How a GPU result compares with the float64 reference, in a form that survives the trip out of the page. */
export interface CheckReport {
  readonly passed: boolean;
  readonly maxAbs: number;
  /** The worst element and both values, as text (NaN survives text, not JSON). */
  readonly worst: string;
}

/**
 * Helpers for tests that run a whole scenario where the GPU is — in a Chromium page (page-kit.ts
 * installs them there as `lstmKit`) or in Node on Dawn (dawn-kit.ts) — and bring back only a summary.
 */
export interface PageKit {
  /** The library, as that runtime loaded it (the built bundle in the page, the sources in Node). */
  readonly lib: typeof Lib;
  /** A deterministic signal: sin(0.37·i + phase). */
  wave(length: number, phase?: number): Float64Array;
  /** The same call on the CPU reference, in the same runtime, compared with `actual`. */
  check(model: Lib.LSTM, x: ArrayLike<number>, options: Lib.ForwardOptions, actual: Lib.ForwardResult, tolerance?: Lib.Tolerance): Promise<CheckReport>;
  /** Starts counting the runtime's GPU buffers (buffer-tracking.ts); stop() the tracker when done. */
  trackBuffers(): BufferTracker;
  /**
   * A WebGPU backend on the kit's one device, so that pipelines compile once for all the scenarios
   * of a file, planning calls against `limits` (each min(device's, this)) when given. The device
   * outlives the backend: dispose the backend when done.
   */
  webgpu(limits?: Lib.RequestedLimits): Promise<Lib.Backend>;
}

/**
 * One test scenario, written once for both runtimes: it takes plain data, runs on the kit, and
 * returns plain data. It must reach nothing outside its arguments (no imports, no module
 * constants): the page receives its source text (page-kit.ts, inPage).
 */
export type Scenario<S, R> = (kit: PageKit, spec: S) => Promise<R>;

/** Runs a scenario in one runtime: in a page (inPage) or in this process on Dawn (dawn-kit.ts). */
export type ScenarioRunner = <S, R>(scenario: Scenario<S, R>, spec: S) => Promise<R>;

/**
 * Builds the kit on a library and a buffer tracker; on `device` when given, else on one the first
 * webgpu() call requests. Self-contained, like a Scenario: page-kit.ts sends its source into the page.
 */
export const createKit = (lib: typeof Lib, trackBuffers: () => BufferTracker, device?: GPUDevice): PageKit => {
  let cpu: Promise<Lib.Backend> | null = null;
  let shared: Promise<GPUDevice> | null = device ? Promise.resolve(device) : null;
  return {
    lib,
    trackBuffers,
    wave: (length, phase = 0) => Float64Array.from({ length }, (_, i) => Math.sin(0.37 * i + phase)),
    async check(model, x, options, actual, tolerance) {
      cpu ??= lib.createBackend({ prefer: 'cpu' });
      const expected = await (await (await cpu).load(model)).forward(x, options);
      const report = lib.compareResults(model.config, expected, actual, tolerance);
      const worst = [report.output, report.hN, report.cN].reduce((a, b) => (b.maxAbs > a.maxAbs || Number.isNaN(b.maxAbs) ? b : a));
      const at = worst.worst ? `${JSON.stringify(worst.worst.at)}: cpu ${worst.worst.expected}, gpu ${worst.worst.actual}` : 'none';
      return { passed: report.passed, maxAbs: report.maxAbs, worst: at };
    },
    async webgpu(limits) {
      shared ??= lib.createBackend({ prefer: 'webgpu' }).then((backend) => backend.device!);
      return lib.createBackend({ prefer: 'webgpu', device: await shared, ...(limits ? { limits } : {}) });
    },
  };
};

import type { RecurrenceChoice } from './plan.js';

/** The options of backend.load(model, options) on WebGPU. */
export interface RunnerOptions {
  /**
   * How the recurrence runs: 'sequence' (one persistent dispatch per layer and direction; needs
   * H ≤ 256), 'steps' (one dispatch per time step), 'spread' (one dispatch per step, each unit's
   * sum split over a subgroup or a workgroup), or 'auto' (default): the kernel the cost model
   * (docs/performance.md, "The cost model") predicts fastest for the call's shape on this
   * device. `runner.plan({ batch })` says what runs and why.
   */
  readonly recurrence?: RecurrenceChoice;
  /**
   * How W_hh is stored: 'float32' (default), or 'float16' (half the bytes each step loads; the
   * arithmetic stays float32) on a device with `shader-f16`, else BACKEND_UNAVAILABLE. Adds up to
   * ≈ 1e-4 to the outputs (docs/performance.md), above compareResults' default tolerance.
   */
  readonly weights?: 'float32' | 'float16';
}

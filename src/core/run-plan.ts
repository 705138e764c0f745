import type { BackendKind } from './results.js';

/** One candidate kernel of a plan and its modelled time per step, or why it cannot run the call. */
export interface KernelPrediction {
  /** The kernel and its specialisation, e.g. 'spread (subgroupAdd, subgroups ≤ 32)'. */
  readonly kernel: string;
  /** The path it belongs to: 'sequence', 'steps' or 'spread'. */
  readonly kind: string;
  /** Modelled µs per time step of one layer and direction; null where the kernel cannot run. */
  readonly stepUs: number | null;
  readonly unavailable?: string;
}

/**
 * What a forward call of a batch size runs on a backend and why (runner.plan). On WebGPU the
 * recurrence kernel comes from the cost model of src/gpu/cost-model.ts (docs/performance.md)
 * unless `recurrence` was forced at load; `predictions` lists every candidate, fastest first.
 */
export interface RunPlan {
  readonly backend: BackendKind;
  /** The recurrence path: 'sequence', 'steps', 'spread'; 'reference' on the CPU; on wasm how threads share a step: 'rows', 'units' or 'solo'. */
  readonly kind: string;
  readonly kernel: string;
  readonly reason: string;
  /** The load option `recurrence` ('auto' unless forced). */
  readonly choice: string;
  /** The device class whose constants the model used, and where they come from. */
  readonly device: string;
  readonly costsSource: string;
  readonly predictions: readonly KernelPrediction[];
}

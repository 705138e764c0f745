import type { ForwardResult } from 'webgpu-lstm';
import type { RaceShape } from './stats.js';

/** The engines a race worker can open: the wasm engine and the float64 reference. */
export type WorkerEngine = 'wasm' | 'cpu';

/** What the page asks a race worker to time. The worker rebuilds the model from the seed. */
export interface EngineRaceRequest {
  readonly engine: WorkerEngine;
  readonly shape: RaceShape;
  readonly seed: number;
  /** [T, B, I], the same input the GPU gets. */
  readonly x: Float64Array;
  readonly warmup: number;
  readonly reps: number;
}

/**
 * What the worker says back: 'opened' once its backend is open (with the backend's `reason`, which
 * for the wasm engine says how many threads it runs and why) or 'unavailable' when this browser
 * cannot open it (the wasm engine without SIMD), one 'run' per forward pass (warm-up included),
 * then 'done' or 'error'.
 */
export type EngineRaceMessage =
  | { readonly type: 'opened'; readonly reason: string }
  | { readonly type: 'unavailable'; readonly reason: string }
  | { readonly type: 'run' }
  | { readonly type: 'done'; readonly timesMs: number[]; readonly result: ForwardResult }
  | { readonly type: 'error'; readonly message: string };

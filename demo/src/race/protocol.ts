import type { ForwardResult } from 'webgpu-lstm';
import type { RaceShape } from './stats.js';

/** What the page asks the CPU worker to time. The worker rebuilds the model from the seed. */
export interface CpuRaceRequest {
  readonly shape: RaceShape;
  readonly seed: number;
  /** [T, B, I], the same input the GPU gets. */
  readonly x: Float64Array;
  readonly warmup: number;
  readonly reps: number;
}

/** What the worker says back: one 'run' per forward pass (warm-up included), then 'done' or 'error'. */
export type CpuRaceMessage =
  | { readonly type: 'run' }
  | { readonly type: 'done'; readonly timesMs: number[]; readonly result: ForwardResult }
  | { readonly type: 'error'; readonly message: string };

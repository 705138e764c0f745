import type { FloatArray, Tensor } from './tensor.js';

/** The gates and states of one layer and direction, each [T, B, H] time-major, by actual time step. */
export interface TraceEntry {
  readonly layer: number;
  readonly direction: number;
  readonly i: FloatArray;
  readonly f: FloatArray;
  readonly g: FloatArray;
  readonly o: FloatArray;
  readonly c: FloatArray;
  readonly h: FloatArray;
}

export const kTraceFields = ['i', 'f', 'g', 'o', 'c', 'h'] as const;
export type TraceField = (typeof kTraceFields)[number];

/** What one forward call cost: the counters the GPU backend is held to. */
export interface ForwardStats {
  readonly backend: 'webgpu' | 'cpu';
  readonly dispatches: number;
  readonly submits: number;
  readonly readbacks: number;
}

export interface ForwardResult {
  /** [T, B, D·H] (or [B, T, D·H] with batchFirst); forward half first. Zero past each sequence's length. */
  readonly output: Tensor;
  /** [L·D, B, H]: h at each sequence's last valid step, layer by layer, forward before reverse. */
  readonly hN: Tensor;
  /** [L·D, B, H]: c likewise. */
  readonly cN: Tensor;
  /** Present when the call asked for `trace: true`; zeros past each sequence's length. */
  readonly trace?: readonly TraceEntry[];
  readonly stats: ForwardStats;
}

/** Time-major results of a backend, before they are put in the caller's layout. */
export interface TimeMajorResult {
  readonly output: FloatArray;
  readonly hN: FloatArray;
  readonly cN: FloatArray;
  readonly trace: readonly TraceEntry[] | null;
}

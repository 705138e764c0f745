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

/**
 * The kinds of backend: WebGPU, the float32 WebAssembly engine, and the float64 CPU reference that
 * judges both.
 */
export type BackendKind = 'webgpu' | 'wasm' | 'cpu';

/** What one forward call cost: the counters a backend reports, and the GPU backend is held to. */
export interface ForwardStats {
  readonly backend: BackendKind;
  readonly dispatches: number;
  readonly submits: number;
  readonly readbacks: number;
}

/** The counters of a call, and what the front door found in its results. */
export interface ResultStats extends ForwardStats {
  /**
   * NaN and ±Infinity values in output, h_n and c_n together. From finite inputs and weights they
   * mean overflow: float32 on the GPU overflows where the float64 reference does not (|W x| past
   * 3.4e38). Never silent: the CLI warns when it is above 0.
   */
  readonly nonFiniteOutputs: number;
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
  /**
   * The dense head's output, present when the model has a head (docs/model.md, "Head"): [B, O] for
   * over 'last'; [T, B, O] (or [B, T, O] with batchFirst) for over 'sequence', where steps past a
   * sequence's length hold what the head gives on the zero vector.
   */
  readonly prediction?: Tensor;
  readonly stats: ResultStats;
}

/** Time-major results of a backend, before they are put in the caller's layout. */
export interface TimeMajorResult {
  readonly output: FloatArray;
  readonly hN: FloatArray;
  readonly cN: FloatArray;
  readonly trace: readonly TraceEntry[] | null;
  /** The head's output, time-major ([B, O] or [T, B, O]); absent or null without a head. */
  readonly prediction?: FloatArray | null;
}

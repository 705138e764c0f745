import type { ForwardStats } from './results.js';
import type { FloatArray } from './tensor.js';

/** What a stream returns: every step's output, or only the last step's. */
export type StreamOutputs = 'all' | 'last';

/** One push's time-major output and what it cost. */
export interface BackendStreamResult {
  /** [k, B, H] for 'all' (H: the width of h), [B, H] for 'last'. */
  readonly output: FloatArray;
  readonly stats: ForwardStats;
}

/** (h, c) of every slot: h [L, B, H_out], c [L, B, H]. */
export interface StreamState {
  readonly h: FloatArray;
  readonly c: FloatArray;
}

/**
 * A backend's half of a stream (src/api/stream.ts checks every argument first): the (h, c) of B
 * sequence slots of a unidirectional model, kept by the backend between calls, starting at zero.
 */
export interface BackendStream {
  /** Advances every slot by `steps` steps of x, [steps, B, I] time-major. */
  push(x: FloatArray, steps: number): Promise<BackendStreamResult>;
  /** Sets one slot's state: h [L, H_out] and c [L, H], zeros where null. Ordered after earlier pushes. */
  reset(slot: number, h: Float64Array | null, c: Float64Array | null): Promise<void>;
  /** The state of every slot now, after earlier pushes and resets. */
  state(): Promise<StreamState>;
  /** Frees what the stream holds; safe to call twice. */
  dispose(): void;
}

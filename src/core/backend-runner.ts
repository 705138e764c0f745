import type { PreparedInput } from './prepared-input.js';
import type { BackendKind, ForwardStats, TimeMajorResult } from './results.js';
import type { BackendStream, StreamOutputs } from './stream.js';
import type { GpuForwardResult } from './gpu-buffer.js';
import type { RunPlan } from './run-plan.js';

/** What a backend's run gives back: time-major results and the counters of the call. */
export interface BackendResult extends TimeMajorResult {
  readonly stats: ForwardStats;
}

/**
 * A model loaded on one backend (the CPU reference, WebGPU). It takes an input the front door has
 * already checked and brought to time-major (src/api/forward-input.ts), and returns time-major
 * results the front door puts in the caller's layout (src/api/result.ts).
 */
export interface BackendRunner {
  readonly kind: BackendKind;
  /** Bytes of GPU memory held (0 on the CPU). */
  readonly gpuBytes: number;
  run(input: PreparedInput): Promise<BackendResult>;
  /**
   * run() reads input.x before it first awaits: the caller's own Float32Array or Float64Array x may
   * then be passed without a copy (prepareInput's borrowX).
   */
  readonly readsInputAtOnce?: boolean;
  /** Makes a first call of (steps, batch) as quick as later ones (compiled kernels, working set); checked sizes. */
  warmup?(steps: number, batch: number): Promise<void>;
  /** A forward call whose x is a GPUBuffer (then input.x is empty) or whose results stay on the GPU. */
  runResident?(input: PreparedInput, x: GPUBuffer | null, output: 'cpu' | 'gpu'): Promise<BackendResult | GpuForwardResult>;
  /** A stream of `batch` slots over this runner's weights (a unidirectional model; checked by the caller). */
  openStream?(batch: number, outputs: StreamOutputs): BackendStream;
  /** What a call of `batch` sequences runs and why (the cost model's choice on WebGPU). */
  plan?(batch: number, steps?: number): RunPlan;
  /** Frees what the runner holds; safe to call twice. */
  dispose(): void;
}

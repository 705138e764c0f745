import type { Tolerance } from '../compare.js';

/** The engines benchmark() can time: WebGPU, the float32 wasm engine, the float64 CPU reference. */
export type EngineName = 'webgpu' | 'wasm' | 'cpu';

export const kEngineNames: readonly EngineName[] = ['webgpu', 'wasm', 'cpu'];

/**
 * One shape to time: batch B and steps T; inputSize I and hiddenSize H are the model's (given
 * here they must match it) or, with no model, those of the seeded random model made for the shape.
 */
export interface BenchmarkShape {
  readonly batch: number;
  readonly steps: number;
  readonly inputSize?: number;
  readonly hiddenSize?: number;
}

/** A shape with every size known (layers and direction are the model's). */
export interface ResolvedShape {
  readonly batch: number;
  readonly steps: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly layers: number;
  readonly bidirectional: boolean;
}

/** What benchmark() reports as it goes: `done` of `total` steps (warm-ups and timed runs). */
export interface BenchmarkProgress {
  readonly done: number;
  /** The steps (warm-ups and timed runs) of the whole run; 0 while the engines open, before it is known. */
  readonly total: number;
  /** The shape being timed; null while the engines open. */
  readonly shape: ResolvedShape | null;
  /** In words: "wasm, 2 threads: first result 3.1 ms", "round 4/10". */
  readonly message: string;
}

export interface BenchmarkOptions {
  /** Engines to time, in table order. Default all three: ['webgpu', 'wasm', 'cpu']. */
  readonly engines?: readonly EngineName[];
  /**
   * The wasm engine's thread counts, each its own row. Default [1, all]: one thread and the
   * engine's default (the cores available, up to its cap); a count equal to another is timed once.
   */
  readonly threads?: readonly number[];
  /** Timed runs per engine and shape, after one warm-up run (default 10; 1–1000). */
  readonly reps?: number;
  /**
   * Milliseconds each engine may spend on one shape, warm-up included (default 20 000): an engine
   * stops after the run that would take it past the budget (it always gets one timed run).
   */
  readonly budgetMs?: number;
  /** Every engine's output must be within this of the float64 reference before it is timed; default verify's kDefaultTolerance. */
  readonly tolerance?: Tolerance;
  /** Seed of the input x (and of the random model when `model` is null). Default 0. */
  readonly seed?: number;
  readonly onProgress?: (progress: BenchmarkProgress) => void;
}

/** Whether an engine could be opened here, and what it is. */
export interface EngineAvailability {
  /** 'webgpu', 'wasm-1t', 'wasm-2t', 'cpu': the rows' `id`. */
  readonly id: string;
  readonly engine: EngineName;
  /** The wasm engine's threads; null for the others. */
  readonly threads: number | null;
  readonly available: boolean;
  /** The backend's `reason` when it opened (which adapter, how many threads and why); why not when it did not. */
  readonly reason: string;
  /** WebGPU on a software adapter (SwiftShader, llvmpipe, WARP): CPU speed behind a GPU API. */
  readonly softwareAdapter: boolean;
}

export type RowStatus = 'ok' | 'over budget' | 'mismatch' | 'error' | 'absent';

/** One engine on one shape. Times are of one forward call: upload of x, compute, readback of output, h_n and c_n. */
export interface BenchmarkRow {
  readonly shape: ResolvedShape;
  readonly id: string;
  readonly engine: EngineName;
  readonly threads: number | null;
  /**
   * 'ok': verified, then timed; 'over budget': its first result alone passed the budget (timed by
   * that one run, compilation included); 'mismatch': outside the tolerance, not timed; 'error':
   * failed (see note); 'absent': the engine is not available here (note says why).
   */
  readonly status: RowStatus;
  readonly note: string | null;
  /** Opening the model on the engine plus the first forward call, in milliseconds. */
  readonly firstResultMs: number | null;
  readonly timesMs: readonly number[];
  readonly medianMs: number | null;
  readonly minMs: number | null;
  readonly maxMs: number | null;
  /** forwardFlops(shape) / median. */
  readonly gflops: number | null;
  /** The first result against the float64 reference (output, h_n, c_n); null when it never ran. */
  readonly verified: { readonly maxAbs: number; readonly maxRel: number; readonly passed: boolean } | null;
}

/** The GPU/CPU comparison for shapes that differ only in B. */
export interface CrossoverGroup {
  readonly steps: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly layers: number;
  readonly bidirectional: boolean;
  /** The batch sizes at which WebGPU's median beat the fastest CPU-side engine's, and those at which it did not. */
  readonly gpuFasterAt: readonly number[];
  readonly cpuFasterAt: readonly number[];
  readonly sentence: string;
}

export interface Crossover {
  /** In words: "WebGPU is faster from B = 16 at (T, I, H) = (100, 64, 128)", "the wasm engine is faster at every shape tried here". */
  readonly summary: string;
  readonly groups: readonly CrossoverGroup[];
}

export interface BenchmarkResult {
  readonly rows: readonly BenchmarkRow[];
  readonly engines: readonly EngineAvailability[];
  readonly crossover: Crossover;
  readonly protocol: {
    readonly reps: number;
    readonly budgetMs: number;
    readonly warmupRuns: 1;
    readonly interleaved: true;
    readonly tolerance: Tolerance;
    readonly timedRegion: string;
  };
}

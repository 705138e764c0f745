import { kShaderSources } from '../shaders.js';
import { kPlainVariants, type KernelVariants } from '../variants.js';
import { cellKernel } from './cell-bindings.js';
import type { KernelSpec } from './kernel.js';

/** The WGSL `const`s that bound H and the tile (lstm_sequence.wgsl); checked against the source by a unit test. */
const kSourceConstants = { kMaxUnits: 256, kMaxTile: 8 } as const;

export const kSequenceMaxUnits = kSourceConstants.kMaxUnits;
/** Tiles the kernel unrolls (kBatchTile), widest first; the widest is kMaxTile. */
export const kTileSizes = [8, 4, 2, 1] as const;
export type BatchTile = (typeof kTileSizes)[number];

export interface SequenceKernelOptions {
  readonly trace: boolean;
  /** Workgroup size: H / units rounded up to a multiple of 32. */
  readonly threads: number;
  /** Hidden units per invocation: 1 or 2 (sequenceUnits). */
  readonly units: number;
  readonly batchTile: BatchTile;
  /** The LSTM variants the cell update runs (src/gpu/variants.ts); PyTorch's LSTM when absent. */
  readonly variants?: KernelVariants;
}

/** All T steps of one layer and direction in one dispatch; a workgroup per tile of sequences. */
export function lstmSequenceKernel(options: SequenceKernelOptions): KernelSpec {
  const variants = options.variants ?? kPlainVariants;
  const { name, bindings, source } = cellKernel('lstm_sequence', kShaderSources.lstmSequence, [], variants);
  return {
    name,
    source,
    entryPoint: 'main',
    bindings,
    constants: { kTrace: options.trace, kThreads: options.threads, kUnits: options.units, kBatchTile: options.batchTile, ...variants.constants },
    sourceConstants: kSourceConstants,
  };
}

/** Whether one workgroup can hold every hidden unit (one invocation each). */
export function sequenceKernelFits(hidden: number, maxInvocations: number): boolean {
  return hidden <= Math.min(kSequenceMaxUnits, maxInvocations);
}

/**
 * Hidden units per invocation: two on a software adapter (where every load is a per-lane gather
 * and one h load then feeds twice the FMAs; see lstm_sequence.wgsl) once H needs more than 32
 * invocations, else one (a real GPU hides latency with more invocations in flight).
 */
export function sequenceUnits(hidden: number, software: boolean): 1 | 2 {
  return software && hidden > 32 ? 2 : 1;
}

export function sequenceThreads(hidden: number, units: number): number {
  return Math.ceil(hidden / units / 32) * 32;
}

/**
 * The largest tile that still leaves at least `minWorkgroups` workgroups to run in parallel: a
 * bigger tile reuses each W_hh load for more sequences, more workgroups keep more cores busy.
 */
export function chooseBatchTile(batch: number, minWorkgroups: number): BatchTile {
  for (const tile of kTileSizes) {
    if (tile <= batch && Math.ceil(batch / tile) >= Math.min(minWorkgroups, batch)) return tile;
  }
  return 1;
}

import { kShaderSources, kTrainShaderSources } from '../shaders.js';
import { uniformStruct, type KernelSpec } from './kernel.js';
import { kTileSizes, type BatchTile } from './lstm-sequence.js';
import { kBackwardDims } from './train.js';

/**
 * The persistent backward recurrence (lstm_backward_sequence.wgsl): one dispatch per layer and
 * direction walks all T steps in reverse, a workgroup per tile of sequences. Where it does not
 * fit (H past kMaxUnits or the device's invocations per workgroup), the backward runs one
 * lstm_backward_step dispatch per step instead.
 */

/** The WGSL `const`s that bound H and the tile; checked against the source by a unit test. */
const kSourceConstants = { kMaxUnits: 256, kMaxTile: 8 } as const;
/**
 * How the persistent backward spreads H units over invocations: at most `units` each, in
 * workgroups of a multiple of `quantum` invocations. A software adapter takes 8 units per
 * invocation in workgroups of 16 (every load is a gather there, and a unit's dz load then feeds
 * 8 units' FMAs); a real GPU 4 units in warps of 32, for more invocations in flight.
 */
const kBackwardSpread = { software: { units: 8, quantum: 16 }, hardware: { units: 4, quantum: 32 } } as const;

/** How the backward walks time: one persistent dispatch, or one dispatch per step. */
export type BackwardPath = { readonly kind: 'sequence'; readonly threads: number; readonly units: number; readonly batchTile: BatchTile } | { readonly kind: 'steps' };

export interface BackwardLimits {
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupStorageSize: number;
  /** Whether the adapter runs on the CPU (kBackwardSpread). */
  readonly software: boolean;
}

/**
 * The persistent path where one workgroup holds every unit and a tile's dz (tile · units · threads
 * vec4s) fits the workgroup storage, with the forward's batch tile (chosen for the device's parallelism,
 * src/gpu/plan.ts) capped by that storage.
 */
export function chooseBackwardPath(hidden: number, forwardTile: BatchTile, limits: BackwardLimits): BackwardPath {
  // Up to spread.units per invocation (fewer where one quantum of invocations covers H with
  // fewer); a tile row holds units · threads vec4s.
  const spread = limits.software ? kBackwardSpread.software : kBackwardSpread.hardware;
  const threads = Math.ceil(hidden / (spread.units * spread.quantum)) * spread.quantum;
  const units = Math.ceil(hidden / threads);
  if (hidden > kSourceConstants.kMaxUnits || threads > limits.maxComputeInvocationsPerWorkgroup) return { kind: 'steps' };
  const fits = kTileSizes.filter((tile) => tile <= forwardTile && tile * units * threads * 16 <= limits.maxComputeWorkgroupStorageSize);
  if (fits.length === 0) return { kind: 'steps' };
  return { kind: 'sequence', threads, units, batchTile: fits[0] };
}

export const kTransposeDims = uniformStruct('Dims', ['units', '_pad0', '_pad1', '_pad2']);
/** W_hh transposed for the persistent backward ([u, j] instead of [j, u]). */
export const transposeRecurrentKernel: KernelSpec = {
  name: 'transpose_recurrent',
  source: kTrainShaderSources.transposeRecurrent,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kTransposeDims },
    { name: 'w_hh', type: 'read-only-storage' },
    { name: 'wt', type: 'storage' },
  ],
  constants: {},
  sourceConstants: {},
};

export function lstmBackwardSequenceKernel(threads: number, units: number, batchTile: BatchTile): KernelSpec {
  return {
    name: 'lstm_backward_sequence',
    source: kShaderSources.activations + kTrainShaderSources.lstmCellBackward + kTrainShaderSources.lstmBackwardSequence,
    entryPoint: 'main',
    bindings: [
      { name: 'dims', type: 'uniform', struct: kBackwardDims },
      { name: 'lengths', type: 'read-only-storage' },
      { name: 'trace', type: 'read-only-storage' },
      { name: 'w_hh_t', type: 'read-only-storage' },
      { name: 'above', type: 'read-only-storage' },
      { name: 'c0', type: 'read-only-storage' },
      { name: 'dz', type: 'storage' },
      { name: 'dh0', type: 'storage' },
      { name: 'dc0', type: 'storage' },
    ],
    constants: { kThreads: threads, kUnits: units, kBatchTile: batchTile },
    sourceConstants: kSourceConstants,
  };
}

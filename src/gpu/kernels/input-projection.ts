import { kShaderSources } from '../shaders.js';
import { uniformStruct, type KernelSpec } from './kernel.js';

/** The WGSL `const`s that fix the workgroup (input_projection.wgsl); checked against the source by a unit test. */
const kSourceConstants = { kThreadsU: 16, kThreadsM: 4 } as const;

/** Rows × units one invocation computes (the kernel's kRows and kUnits overrides). */
export interface ProjectionBlock {
  readonly rows: 4 | 8;
  readonly units: 2 | 4;
}
/** The forward's block: quick to compile and little waste on short calls. */
export const kForwardProjectionBlock: ProjectionBlock = { rows: 4, units: 2 };
/** Training's block: fewer loads per FMA over its T·B rows (input_projection.wgsl). */
export const kTrainingProjectionBlock: ProjectionBlock = { rows: 8, units: 4 };

export const kProjectionDims = uniformStruct('Dims', ['rows', 'inner', 'units', 'vec_k']);

/**
 * z[T·B, H] (vec4 gates) = X · W_ihᵀ + (b_ih + b_hh): the input's part of every gate's
 * pre-activation, for all time steps of one layer-direction at once.
 */
export function inputProjectionKernel(block: ProjectionBlock = kForwardProjectionBlock): KernelSpec {
  return {
    name: 'input_projection',
    source: kShaderSources.inputProjection,
    entryPoint: 'main',
    bindings: [
      { name: 'dims', type: 'uniform', struct: kProjectionDims },
      { name: 'x', type: 'read-only-storage' },
      { name: 'w', type: 'read-only-storage' },
      { name: 'bias', type: 'read-only-storage' },
      { name: 'z', type: 'storage' },
    ],
    constants: { kRows: block.rows, kUnits: block.units },
    sourceConstants: kSourceConstants,
  };
}

/** The projection's dims for `rows` = T·B rows of `inner` = K inputs onto `units` = H units. */
export function projectionDims(rows: number, inner: number, units: number): Record<(typeof kProjectionDims.fields)[number], number> {
  // Rows of x start on vec4 boundaries only when K is a multiple of 4; the kernel then reads x four at a time.
  return { rows, inner, units, vec_k: inner % 4 === 0 ? 1 : 0 };
}

export function projectionWorkgroups(rows: number, units: number, block: ProjectionBlock = kForwardProjectionBlock): [number, number, number] {
  return [Math.ceil(units / (block.units * kSourceConstants.kThreadsU)), Math.ceil(rows / (block.rows * kSourceConstants.kThreadsM)), 1];
}

import { kShaderSources } from '../shaders.js';
import { uniformStruct, type KernelSpec } from './kernel.js';

/** The WGSL `const`s that fix the tile (input_projection.wgsl); checked against the source by a unit test. */
const kSourceConstants = { kRowsPerThread: 4, kThreadsU: 16, kThreadsM: 4 } as const;

/** Units one workgroup covers: kThreadsU invocations of two units each (u and u + 1, in registers). */
export const kProjectionTileUnits = 2 * kSourceConstants.kThreadsU;
/** Rows (t·B + b) one workgroup covers: kThreadsM invocations of kRowsPerThread rows each. */
export const kProjectionTileRows = kSourceConstants.kThreadsM * kSourceConstants.kRowsPerThread;

export const kProjectionDims = uniformStruct('Dims', ['rows', 'inner', 'units', 'vec_k']);

/**
 * z[T·B, H] (vec4 gates) = X · W_ihᵀ + (b_ih + b_hh): the input's part of every gate's
 * pre-activation, for all time steps of one layer-direction at once.
 */
export const inputProjectionKernel: KernelSpec = {
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
  constants: {},
  sourceConstants: kSourceConstants,
};

/** The projection's dims for `rows` = T·B rows of `inner` = K inputs onto `units` = H units. */
export function projectionDims(rows: number, inner: number, units: number): Record<(typeof kProjectionDims.fields)[number], number> {
  // Rows of x start on vec4 boundaries only when K is a multiple of 4; the kernel then reads x four at a time.
  return { rows, inner, units, vec_k: inner % 4 === 0 ? 1 : 0 };
}

export function projectionWorkgroups(rows: number, units: number): [number, number, number] {
  return [Math.ceil(units / kProjectionTileUnits), Math.ceil(rows / kProjectionTileRows), 1];
}

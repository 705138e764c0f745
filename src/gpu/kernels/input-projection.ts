import { kShaderSources } from '../shaders.js';
import type { KernelSpec } from './kernel.js';

/** Units and rows one workgroup covers; must match kThreadsU and kThreadsM·kRowsPerThread in input_projection.wgsl. */
export const kProjectionTileUnits = 32;
export const kProjectionTileRows = 16;

/** G[T·B, H] (vec4 gates) = X · W_ihᵀ + (b_ih + b_hh): all time steps of one layer-direction at once. */
export const inputProjectionKernel: KernelSpec = {
  name: 'input_projection',
  source: kShaderSources.inputProjection,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform' },
    { name: 'x', type: 'read-only-storage' },
    { name: 'w', type: 'read-only-storage' },
    { name: 'bias', type: 'read-only-storage' },
    { name: 'g', type: 'storage' },
  ],
  constants: {},
};

export function projectionWorkgroups(rows: number, units: number): [number, number, number] {
  return [Math.ceil(units / kProjectionTileUnits), Math.ceil(rows / kProjectionTileRows), 1];
}

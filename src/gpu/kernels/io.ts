import { kIoShaderSources } from '../shaders.js';
import { uniformStruct, type KernelSpec } from './kernel.js';

/** The WGSL `const` that fixes the workgroup size of both kernels; checked against the source by a unit test. */
const kSourceConstants = { kThreads: 64 } as const;

export const kSwapAxesDims = uniformStruct('Dims', ['a', 'c', 'width', '_pad']);
/** [A, C, W] → [C, A, W] in float32: batch-first ↔ time-major on the GPU. */
export const swapAxesKernel: KernelSpec = {
  name: 'swap_axes',
  source: kIoShaderSources.swapAxes,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kSwapAxesDims },
    { name: 'from_data', type: 'read-only-storage' },
    { name: 'to_data', type: 'storage' },
  ],
  constants: {},
  sourceConstants: kSourceConstants,
};

export const kSplitStateDims = uniformStruct('Dims', ['count', 'offset', '_pad0', '_pad1']);
/** One layer-direction's interleaved (h, c) pairs into separate h_n and c_n. */
export const splitStateKernel: KernelSpec = {
  name: 'split_state',
  source: kIoShaderSources.splitState,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kSplitStateDims },
    { name: 'state', type: 'read-only-storage' },
    { name: 'h_n', type: 'storage' },
    { name: 'c_n', type: 'storage' },
  ],
  constants: {},
  sourceConstants: kSourceConstants,
};

/** Workgroups for one invocation per element, spread over a second dimension past `maxPerDimension`. */
export function elementWorkgroups(elements: number, maxPerDimension: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(elements / kSourceConstants.kThreads));
  const x = Math.min(groups, maxPerDimension);
  return [x, Math.ceil(groups / x), 1];
}

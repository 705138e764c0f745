import type { Activation } from '../../model/head.js';
import { kShaderSources, kTrainShaderSources } from '../shaders.js';
import { uniformStruct, type KernelSpec } from './kernel.js';

/**
 * The dense head's kernels (forward, and its backward for training). Every dense parameter is read
 * from, and its gradient written to, a flat buffer at offsets given in the uniforms, in nn.Linear's
 * layout (src/gpu/train/param-layout.ts).
 */

/** The activation codes the WGSL switches on. */
export const kActivationCodes: Record<Activation, number> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3, softmax: 4, log_softmax: 5 };

/** Invocations per workgroup of the row-wise kernels (dense_forward, loss_rows, dense_act_backward, gather_last). */
export const kRowThreads = 64;

export const kGatherDims = uniformStruct('Dims', ['batch', 'units', 'width', '_pad']);
export const gatherLastKernel: KernelSpec = {
  name: 'gather_last',
  source: kTrainShaderSources.gatherLast,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kGatherDims },
    { name: 'lengths', type: 'read-only-storage' },
    { name: 'output', type: 'read-only-storage' },
    { name: 'features', type: 'storage' },
  ],
  constants: {},
  sourceConstants: {},
};

export const kDenseForwardDims = uniformStruct('Dims', ['rows', 'inner', 'outs', 'w_offset', 'b_offset', 'activation']);
export const denseForwardKernel: KernelSpec = {
  name: 'dense_forward',
  source: kShaderSources.activations + kTrainShaderSources.denseForward,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kDenseForwardDims },
    { name: 'params', type: 'read-only-storage' },
    { name: 'x', type: 'read-only-storage' },
    { name: 'z', type: 'storage' },
    { name: 'a', type: 'storage' },
  ],
  constants: {},
  sourceConstants: {},
};

export const kActBackwardDims = uniformStruct('Dims', ['rows', 'outs', 'activation', '_pad']);
export const denseActBackwardKernel: KernelSpec = {
  name: 'dense_act_backward',
  source: kTrainShaderSources.denseActBackward,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kActBackwardDims },
    { name: 'z', type: 'read-only-storage' },
    { name: 'a', type: 'read-only-storage' },
    { name: 'da', type: 'read-only-storage' },
    { name: 'dz', type: 'storage' },
  ],
  constants: {},
  sourceConstants: {},
};

export const kDenseWeightGradDims = uniformStruct('Dims', ['rows', 'inner', 'outs', 'w_offset', 'b_offset', '_pad0', '_pad1', '_pad2']);
export const denseWeightGradKernel: KernelSpec = {
  name: 'dense_weight_grad',
  source: kTrainShaderSources.denseWeightGrad,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kDenseWeightGradDims },
    { name: 'dz', type: 'read-only-storage' },
    { name: 'x', type: 'read-only-storage' },
    { name: 'grads', type: 'storage' },
  ],
  constants: {},
  sourceConstants: {},
};

export const kDenseInputGradDims = uniformStruct('Dims', ['rows', 'inner', 'outs', 'w_offset']);
export const denseInputGradKernel: KernelSpec = {
  name: 'dense_input_grad',
  source: kTrainShaderSources.denseInputGrad,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kDenseInputGradDims },
    { name: 'dz', type: 'read-only-storage' },
    { name: 'params', type: 'read-only-storage' },
    { name: 'dx', type: 'storage' },
  ],
  constants: {},
  sourceConstants: {},
};

/** Workgroups for `rows` rows of kRowThreads each, wrapped into y past the dimension limit. */
export function rowWorkgroups(rows: number, maxPerDimension: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(rows / kRowThreads));
  const y = Math.ceil(groups / maxPerDimension);
  return [Math.ceil(groups / y), y, 1];
}

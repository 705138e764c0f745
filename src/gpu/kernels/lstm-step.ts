import { kShaderSources } from '../shaders.js';
import { kPlainVariants, type KernelVariants } from '../variants.js';
import { cellKernel } from './cell-bindings.js';
import { uniformStruct, type KernelSpec } from './kernel.js';

/** The WGSL `const`s that fix the tile (lstm_step.wgsl); checked against the source by a unit test. */
const kSourceConstants = { kUnitsPerWorkgroup: 64, kBatchPerThread: 4 } as const;

export const kStepUnitsPerWorkgroup = kSourceConstants.kUnitsPerWorkgroup;
/** The workgroup is one-dimensional, so it covers the kBatchPerThread sequences each invocation holds. */
export const kStepBatchPerWorkgroup = kSourceConstants.kBatchPerThread;

/** The per-step parameters, one 16-byte slot per step, selected by dynamic offset. */
export const kStepParams = uniformStruct('Step', ['s', '_pad0', '_pad1', '_pad2']);

/**
 * One fused time step (recurrent matmul, activations, cell update, output write) for a batch;
 * `variants` (src/gpu/variants.ts) specialise the cell update, PyTorch's LSTM by default.
 */
export function lstmStepKernel(trace: boolean, variants: KernelVariants = kPlainVariants): KernelSpec {
  const { name, bindings, source } = cellKernel('lstm_step', kShaderSources.lstmStep, [{ name: 'step_params', type: 'uniform', struct: kStepParams, dynamicOffset: true }], variants);
  return {
    name,
    source,
    entryPoint: 'main',
    bindings,
    constants: { kTrace: trace, ...variants.constants },
    sourceConstants: kSourceConstants,
  };
}

export function stepWorkgroups(batch: number, units: number): [number, number, number] {
  return [Math.ceil(units / kStepUnitsPerWorkgroup), Math.ceil(batch / kStepBatchPerWorkgroup), 1];
}

import { kShaderSources } from '../shaders.js';
import { cellKernelSource, kCellBindings } from './cell-bindings.js';
import { uniformStruct, type KernelSpec } from './kernel.js';

/** The WGSL `const`s that fix the tile (lstm_step.wgsl); checked against the source by a unit test. */
const kSourceConstants = { kUnitsPerWorkgroup: 64, kBatchPerThread: 4 } as const;

export const kStepUnitsPerWorkgroup = kSourceConstants.kUnitsPerWorkgroup;
/** The workgroup is one-dimensional, so it covers the kBatchPerThread sequences each invocation holds. */
export const kStepBatchPerWorkgroup = kSourceConstants.kBatchPerThread;

/** The per-step parameters, one 16-byte slot per step, selected by dynamic offset. */
export const kStepParams = uniformStruct('Step', ['s', '_pad0', '_pad1', '_pad2']);

/** One fused time step (recurrent matmul, activations, cell update, output write) for a batch. */
export function lstmStepKernel(trace: boolean): KernelSpec {
  return {
    name: 'lstm_step',
    source: cellKernelSource(kShaderSources.lstmStep),
    entryPoint: 'main',
    bindings: [{ name: 'step_params', type: 'uniform', struct: kStepParams, dynamicOffset: true }, ...kCellBindings],
    constants: { kTrace: trace },
    sourceConstants: kSourceConstants,
  };
}

export function stepWorkgroups(batch: number, units: number): [number, number, number] {
  return [Math.ceil(units / kStepUnitsPerWorkgroup), Math.ceil(batch / kStepBatchPerWorkgroup), 1];
}

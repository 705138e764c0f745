import { kShaderSources } from '../shaders.js';
import { cellKernelSource, kCellBindings } from './cell-bindings.js';
import type { KernelSpec } from './kernel.js';

/** Must match kUnitsPerWorkgroup and kBatchPerThread in lstm_step.wgsl. */
export const kStepUnitsPerWorkgroup = 64;
export const kStepBatchPerWorkgroup = 4;

/** One fused time step (recurrent matmul, activations, cell update, output write) for a batch. */
export function lstmStepKernel(trace: boolean): KernelSpec {
  return {
    name: 'lstm_step',
    source: cellKernelSource(kShaderSources.lstmStep),
    entryPoint: 'main',
    bindings: [{ name: 'step_params', type: 'uniform', dynamicOffset: true }, ...kCellBindings],
    constants: { kTrace: trace },
  };
}

export function stepWorkgroups(batch: number, units: number): [number, number, number] {
  return [Math.ceil(units / kStepUnitsPerWorkgroup), Math.ceil(batch / kStepBatchPerWorkgroup), 1];
}

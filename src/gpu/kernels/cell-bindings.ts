import { kShaderSources } from '../shaders.js';
import { uniformStruct, type BindingSpec } from './kernel.js';

/** lstm_cell.wgsl's Dims, shared by both recurrence kernels. */
export const kCellDims = uniformStruct('Dims', ['batch', 'units', 'out_stride', 'out_offset', 'reverse', 'trace_base', 'trace_field', 'steps']);

/**
 * What both recurrence kernels bind after their own parameters, in this order: the dims that
 * lstm_cell.wgsl reads, the inputs of the step, the state pair and the outputs.
 */
export const kCellBindings: readonly BindingSpec[] = [
  { name: 'dims', type: 'uniform', struct: kCellDims },
  { name: 'z_in', type: 'read-only-storage' },
  { name: 'w_hh', type: 'read-only-storage' },
  { name: 'lengths', type: 'read-only-storage' },
  { name: 'state_in', type: 'read-only-storage' },
  { name: 'state_out', type: 'storage' },
  { name: 'output', type: 'storage' },
  { name: 'trace', type: 'storage' },
];

/** A recurrence kernel's source: the shared activations and cell update, then the kernel itself. */
export function cellKernelSource(kernel: string): string {
  return kShaderSources.activations + kShaderSources.lstmCell + kernel;
}

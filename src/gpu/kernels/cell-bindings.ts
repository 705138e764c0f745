import { kShaderSources } from '../shaders.js';
import type { KernelVariants } from '../variants.js';
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

/**
 * A recurrence kernel reading W_hh as f16: the binding becomes array<vec4<f16>> and every read
 * `w_hh[i]` becomes vec4<f32>(w_hh[i]), so the arithmetic stays f32. Each kernel declares w_hh once.
 */
export function halfWeightSource(source: string): string {
  const declaration = 'var<storage, read> w_hh: array<vec4<f32>>;';
  if (source.split(declaration).length !== 2) throw new Error('halfWeightSource: the kernel must declare w_hh exactly once as array<vec4<f32>>');
  return source.replace(declaration, 'var<storage, read> w_hh: array<vec4<f16>>;').replace(/w_hh\[([^[\]]+)\]/g, 'vec4<f32>(w_hh[$1])');
}

/** The peephole specialisation's extra binding, after all of the kernel's own. */
const kPeepholeBinding: BindingSpec = { name: 'peephole', type: 'read-only-storage' };

/** A recurrence kernel's name, bindings and source as `variants` specialise them (the plain ones without peepholes). */
export function cellKernel(name: string, kernel: string, ownBindings: readonly BindingSpec[], variants: KernelVariants): {
  name: string;
  bindings: readonly BindingSpec[];
  source: string;
} {
  const plain = [...ownBindings, ...kCellBindings];
  if (variants.halfWeights) {
    const full = cellKernel(name, kernel, ownBindings, { ...variants, halfWeights: false });
    return { ...full, name: `${full.name}_f16`, source: `enable f16;\n${halfWeightSource(full.source)}` };
  }
  if (!variants.peephole) {
    return { name, bindings: plain, source: kShaderSources.activations + kShaderSources.lstmNoPeephole + kShaderSources.lstmCell + kernel };
  }
  // WGSL has no #include, and the binding's index follows the kernel's own: declared here.
  const declaration = `@group(0) @binding(${plain.length}) var<storage, read> peephole: array<vec4<f32>>; // [H] (P_i, P_f, 0, P_o)\n`;
  return {
    name: `${name}_peephole`,
    bindings: [...plain, kPeepholeBinding],
    source: kShaderSources.activations + declaration + kShaderSources.lstmPeephole + kShaderSources.lstmCell + kernel,
  };
}

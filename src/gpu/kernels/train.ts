import { kShaderSources, kTrainShaderSources } from '../shaders.js';
import { kStepParams } from './lstm-step.js';
import { uniformStruct, type KernelSpec } from './kernel.js';

/**
 * The training kernels of the LSTM, the loss and the optimizer (the dense head's are in dense.ts).
 * Float fields of a uniform are written as their f32 bit patterns (f32Bits) and read with bitcast,
 * so every uniform stays a struct of u32 fields as the host writes them by name.
 */

/** The bits of `value` as float32, for a u32 uniform field the WGSL bitcasts to f32. */
export function f32Bits(value: number): number {
  return new Uint32Array(Float32Array.of(value).buffer)[0];
}

export const kBiasSumDims = uniformStruct('Dims', ['units', 'ih', 'hh', 'has_bias']);
export const biasSumKernel: KernelSpec = {
  name: 'bias_sum',
  source: kTrainShaderSources.biasSum,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kBiasSumDims },
    { name: 'params', type: 'read-only-storage' },
    { name: 'bias', type: 'storage' },
  ],
  constants: {},
  sourceConstants: {},
};

export const kLossDims = uniformStruct('Dims', ['rows', 'width', 'kind', 'batch', 'masked', 'inv_count', '_pad0', '_pad1']);
export const lossRowsKernel: KernelSpec = {
  name: 'loss_rows',
  source: kShaderSources.activations + kTrainShaderSources.lossRows,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kLossDims },
    { name: 'lengths', type: 'read-only-storage' },
    { name: 'values', type: 'read-only-storage' },
    { name: 'targets', type: 'read-only-storage' },
    { name: 'row_loss', type: 'storage' },
    { name: 'gradient', type: 'storage' },
  ],
  constants: {},
  sourceConstants: {},
};

export const kReduceDims = uniformStruct('Dims', ['count', 'offset', 'square', 'scale', 'out_index', '_pad0', '_pad1', '_pad2']);
export const reduceSumKernel: KernelSpec = {
  name: 'reduce_sum',
  source: kTrainShaderSources.reduceSum,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kReduceDims },
    { name: 'values', type: 'read-only-storage' },
    { name: 'result', type: 'storage' },
  ],
  constants: {},
  sourceConstants: { kThreads: 256 },
};

export const kGradNormDims = uniformStruct('Dims', ['count', '_pad0', '_pad1', '_pad2']);
/** ‖g‖ overflow-safely (scaled by max |g|) and the count of non-finite g, into result[0], result[1]. */
export const gradNormKernel: KernelSpec = {
  name: 'grad_norm',
  source: kTrainShaderSources.gradNorm,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kGradNormDims },
    { name: 'values', type: 'read-only-storage' },
    { name: 'result', type: 'storage' },
  ],
  constants: {},
  sourceConstants: { kThreads: 256 },
};

export const kBackwardDims = uniformStruct('Dims', [
  'batch', 'units', 'reverse', 'steps', 'above_stride', 'above_offset', 'has_above', 'has_final',
  'trace_base', 'trace_field', 'state_base', '_pad',
]);
/** Units one workgroup of lstm_backward_step covers (one invocation each, one sequence per workgroup row). */
export const kBackwardStepUnits = 64;
export const lstmBackwardStepKernel: KernelSpec = {
  name: 'lstm_backward_step',
  source: kShaderSources.activations + kTrainShaderSources.lstmCellBackward + kTrainShaderSources.lstmBackwardStep,
  entryPoint: 'main',
  bindings: [
    { name: 'step_params', type: 'uniform', struct: kStepParams, dynamicOffset: true },
    { name: 'dims', type: 'uniform', struct: kBackwardDims },
    { name: 'lengths', type: 'read-only-storage' },
    { name: 'trace', type: 'read-only-storage' },
    { name: 'w_hh', type: 'read-only-storage' },
    { name: 'above', type: 'read-only-storage' },
    { name: 'c0', type: 'read-only-storage' },
    { name: 'dz', type: 'storage' },
    { name: 'dh0', type: 'storage' },
    { name: 'dc0', type: 'storage' },
  ],
  constants: {},
  sourceConstants: { kUnitsPerWorkgroup: kBackwardStepUnits },
};

export const kWeightGradSourceDims = uniformStruct('Dims', [
  'rows', 'inner', 'quads', 'batch', 'mode', 'out_stride', 'out_offset', 'reverse', 'units', 'state_base', '_pad0', '_pad1',
]);
/** Gathers the weight-gradient GEMM's left operand, x with a ones column or h_{t−1}, as [M, Q] vec4 rows. */
export const weightGradSourceKernel: KernelSpec = {
  name: 'weight_grad_source',
  source: kTrainShaderSources.weightGradSource,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kWeightGradSourceDims },
    { name: 'x', type: 'read-only-storage' },
    { name: 'h0', type: 'read-only-storage' },
    { name: 'lengths', type: 'read-only-storage' },
    { name: 'a', type: 'storage' },
  ],
  constants: {},
  sourceConstants: {},
};
/** Q: vec4s per row of the GEMM's left operand for K inputs (mode 0 adds the bias's ones column). */
export function weightGradQuads(inner: number, withBias: boolean): number {
  return Math.ceil((inner + (withBias ? 1 : 0)) / 4);
}

export const kWeightGradDims = uniformStruct('Dims', [
  'rows', 'inner', 'quads', 'units', 'mode', 'w_offset', 'bias_ih', 'bias_hh', 'bias_count', '_pad0', '_pad1', '_pad2',
]);
const kWeightGradTile = { kThreadsU: 8, kThreadsK: 8 } as const;
/** lstm_weight_grad with `quadsPerInvocation` vec4s of k per invocation (its kQuads: 1–4). */
export function lstmWeightGradKernel(quadsPerInvocation: number): KernelSpec {
  return {
    name: 'lstm_weight_grad',
    source: kTrainShaderSources.lstmWeightGrad,
    entryPoint: 'main',
    bindings: [
      { name: 'dims', type: 'uniform', struct: kWeightGradDims },
      { name: 'a', type: 'read-only-storage' },
      { name: 'dz', type: 'read-only-storage' },
      { name: 'grads', type: 'storage' },
    ],
    constants: { kQuads: quadsPerInvocation },
    sourceConstants: kWeightGradTile,
  };
}

// GFMA/s of lstm_weight_grad per kQuads (1–4), measured on SwiftShader through Dawn (2 cores) at
// Q = 32 and 64: a larger block loads less per FMA, while a block past Q's end computes waste.
const kWeightGradSpeed = [1.3, 1.6, 1.9, 1.9];

/** kQuads for Q vec4s of k: the fastest once the waste at Q's end is counted (ties: the larger). */
export function weightGradQuadsPerInvocation(quads: number): number {
  let best = 1;
  let bestScore = 0;
  kWeightGradSpeed.forEach((speed, index) => {
    const perInvocation = index + 1;
    const score = (speed * quads) / (Math.ceil(quads / perInvocation) * perInvocation);
    if (score >= bestScore) [best, bestScore] = [perInvocation, score];
  });
  return best;
}

/** The trainer's name for the lstm_weight_grad variant that Q vec4s of k use. */
export function weightGradKernelKey(quads: number): string {
  return `lstm_weight_grad/${weightGradQuadsPerInvocation(quads)}`;
}

/** Workgroups of lstm_weight_grad for Q vec4s of k and H units (kQuads vec4s × 2 units per invocation). */
export function weightGradWorkgroups(quads: number, units: number): [number, number, number] {
  const perInvocation = weightGradQuadsPerInvocation(quads);
  return [Math.ceil(units / (2 * kWeightGradTile.kThreadsU)), Math.ceil(quads / (perInvocation * kWeightGradTile.kThreadsK)), 1];
}

export const kInputGradDims = uniformStruct('Dims', ['rows', 'inner', 'units', 'directions']);
const kInputGradTile = { kThreadsK: 16, kThreadsM: 4 } as const;
export const lstmInputGradKernel: KernelSpec = {
  name: 'lstm_input_grad',
  source: kTrainShaderSources.lstmInputGrad,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kInputGradDims },
    { name: 'dz0', type: 'read-only-storage' },
    { name: 'dz1', type: 'read-only-storage' },
    { name: 'w0', type: 'read-only-storage' },
    { name: 'w1', type: 'read-only-storage' },
    { name: 'dx', type: 'storage' },
  ],
  constants: {},
  sourceConstants: kInputGradTile,
};
export function inputGradWorkgroups(rows: number, inner: number): [number, number, number] {
  return [Math.ceil(inner / (2 * kInputGradTile.kThreadsK)), Math.ceil(rows / (4 * kInputGradTile.kThreadsM)), 1];
}

export const kOptimizerDims = uniformStruct('Dims', [
  'count', 'kind', 'lr', 'beta1', 'beta2', 'eps', 'weight_decay', 'step_size', 'correction2_sqrt', 'momentum',
  'first_step', 'clip', 'max_norm', '_pad0', '_pad1', '_pad2',
]);
export const kOptimizerThreads = 256;
export const optimizerUpdateKernel: KernelSpec = {
  name: 'optimizer_update',
  source: kTrainShaderSources.optimizerUpdate,
  entryPoint: 'main',
  bindings: [
    { name: 'dims', type: 'uniform', struct: kOptimizerDims },
    { name: 'mask', type: 'read-only-storage' },
    { name: 'grads', type: 'read-only-storage' },
    { name: 'norm', type: 'read-only-storage' },
    { name: 'params', type: 'storage' },
    { name: 'first', type: 'storage' },
    { name: 'second', type: 'storage' },
  ],
  constants: {},
  sourceConstants: {},
};

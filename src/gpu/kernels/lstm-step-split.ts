import { kShaderSources } from '../shaders.js';
import { kPlainVariants, type KernelVariants } from '../variants.js';
import { cellKernel } from './cell-bindings.js';
import type { KernelSpec } from './kernel.js';
import { kStepParams } from './lstm-step.js';

/** The WGSL `const` both split-K step kernels fix (lstm_step_split.wgsl, lstm_step_subgroup.wgsl); checked by a unit test. */
const kSourceConstants = { kThreads: 64 } as const;

export const kSplitThreads = kSourceConstants.kThreads;

/**
 * How a spread step reduces each unit's k-sum: over a subgroup (subgroupAdd; the lanes are the
 * adapter's subgroup, from 1 to 64 of them) or over `split` invocations of a workgroup through
 * workgroup memory and one barrier.
 */
export type SpreadReduction = { readonly reduction: 'subgroup'; readonly maxSubgroupSize: number } | { readonly reduction: 'workgroup'; readonly split: number };

/** The workgroup-memory kernel's lane counts: powers of two dividing kThreads. */
export const kWorkgroupSplits = [2, 4, 8, 16, 32, 64] as const;

/**
 * One time step with each unit's four gate dot products split over several invocations (split-K):
 * H · split invocations per sequence instead of H. The subgroup kernel needs a device with the
 * `subgroups` feature; its module opens with `enable subgroups;`.
 */
export function lstmStepSplitKernel(spread: SpreadReduction, trace: boolean, variants: KernelVariants = kPlainVariants): KernelSpec {
  const subgroup = spread.reduction === 'subgroup';
  const kernel = cellKernel(subgroup ? 'lstm_step_subgroup' : 'lstm_step_split', subgroup ? kShaderSources.lstmStepSubgroup : kShaderSources.lstmStepSplit, [{ name: 'step_params', type: 'uniform', struct: kStepParams, dynamicOffset: true }], variants);
  return {
    name: kernel.name,
    source: subgroup ? `enable subgroups;\n${kernel.source}` : kernel.source,
    entryPoint: 'main',
    bindings: kernel.bindings,
    constants: { kTrace: trace, ...(subgroup ? {} : { kSplit: spread.split }), ...variants.constants },
    sourceConstants: kSourceConstants,
  };
}

/** Units one workgroup covers: kThreads / lanes per unit (the largest subgroup the adapter may run, for subgroups). */
export function spreadUnitsPerWorkgroup(spread: SpreadReduction): number {
  return kSplitThreads / (spread.reduction === 'subgroup' ? spread.maxSubgroupSize : spread.split);
}

/** A step's workgroups: units over x, one sequence per row of y. */
export function spreadWorkgroups(spread: SpreadReduction, batch: number, units: number): [number, number, number] {
  return [Math.ceil(units / spreadUnitsPerWorkgroup(spread)), batch, 1];
}

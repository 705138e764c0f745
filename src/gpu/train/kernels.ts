import { layerInputSize, type LstmConfig } from '../../model/config.js';
import { denseActBackwardKernel, denseForwardKernel, denseInputGradKernel, denseWeightGradKernel, gatherLastKernel } from '../kernels/dense.js';
import { inputProjectionKernel, kTrainingProjectionBlock } from '../kernels/input-projection.js';
import type { KernelSpec } from '../kernels/kernel.js';
import {
  biasSumKernel, gradNormKernel, lossRowsKernel, lstmBackwardStepKernel, lstmInputGradKernel, lstmWeightGradKernel, optimizerUpdateKernel, reduceSumKernel, weightGradQuads,
  weightGradQuadsPerInvocation, weightGradKernelKey, weightGradSourceKernel,
} from '../kernels/train.js';
import { transposeRecurrentKernel } from '../kernels/train-sequence.js';
import { getKernel, type CompiledKernel } from '../pipeline-cache.js';

/** Every kernel a trainer uses besides the recurrence (compiled per shape, for its path), by spec name. */
const kTrainKernels: readonly KernelSpec[] = [
  inputProjectionKernel(kTrainingProjectionBlock), biasSumKernel, gatherLastKernel, denseForwardKernel, lossRowsKernel, reduceSumKernel, gradNormKernel,
  denseActBackwardKernel, denseWeightGradKernel, denseInputGradKernel, lstmBackwardStepKernel,
  lstmInputGradKernel, optimizerUpdateKernel, weightGradSourceKernel, transposeRecurrentKernel,
];

/**
 * The trainer's kernels by spec name, and the lstm_weight_grad variants `config`'s layers use
 * (one per kQuads, by weightGradKernelKey).
 */
export async function compileTrainKernels(device: GPUDevice, config: LstmConfig): Promise<Record<string, CompiledKernel>> {
  const quads = Array.from({ length: config.numLayers }, (_, layer) => [weightGradQuads(layerInputSize(config, layer), true), weightGradQuads(config.hiddenSize, false)]).flat();
  const variants = [...new Map(quads.map((q) => [weightGradKernelKey(q), weightGradQuadsPerInvocation(q)]))];
  const [compiled, weightGrads] = await Promise.all([
    Promise.all(kTrainKernels.map((spec) => getKernel(device, spec))),
    Promise.all(variants.map(([, perInvocation]) => getKernel(device, lstmWeightGradKernel(perInvocation)))),
  ]);
  return Object.fromEntries([...compiled.map((kernel) => [kernel.spec.name, kernel]), ...weightGrads.map((kernel, i) => [variants[i][0], kernel])]);
}

import { denseActBackwardKernel, denseForwardKernel, denseInputGradKernel, denseWeightGradKernel, gatherLastKernel } from '../kernels/dense.js';
import { inputProjectionKernel } from '../kernels/input-projection.js';
import type { KernelSpec } from '../kernels/kernel.js';
import {
  biasSumKernel, lossRowsKernel, lstmBackwardStepKernel, lstmInputGradKernel, lstmWeightGradKernel, optimizerUpdateKernel, reduceSumKernel, weightGradSourceKernel,
} from '../kernels/train.js';
import { transposeRecurrentKernel } from '../kernels/train-sequence.js';
import { getKernel, type CompiledKernel } from '../pipeline-cache.js';

/** Every kernel a trainer uses besides the recurrence (compiled per shape, for its path), by spec name. */
const kTrainKernels: readonly KernelSpec[] = [
  inputProjectionKernel, biasSumKernel, gatherLastKernel, denseForwardKernel, lossRowsKernel, reduceSumKernel,
  denseActBackwardKernel, denseWeightGradKernel, denseInputGradKernel, lstmBackwardStepKernel, lstmWeightGradKernel,
  lstmInputGradKernel, optimizerUpdateKernel, weightGradSourceKernel, transposeRecurrentKernel,
];

export async function compileTrainKernels(device: GPUDevice): Promise<Record<string, CompiledKernel>> {
  const compiled = await Promise.all(kTrainKernels.map((spec) => getKernel(device, spec)));
  return Object.fromEntries(compiled.map((kernel) => [kernel.spec.name, kernel]));
}

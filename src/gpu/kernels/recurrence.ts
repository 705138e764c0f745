import type { RecurrencePath } from '../plan.js';
import { kPlainVariants, type KernelVariants } from '../variants.js';
import type { KernelSpec } from './kernel.js';
import { lstmSequenceKernel } from './lstm-sequence.js';
import { lstmStepKernel } from './lstm-step.js';
import { lstmStepSplitKernel } from './lstm-step-split.js';

/** The kernel that runs the recurrence on the chosen path, specialised for the model's variants. */
export function recurrenceKernel(path: RecurrencePath, trace: boolean, variants: KernelVariants = kPlainVariants): KernelSpec {
  if (path.kind === 'sequence') return lstmSequenceKernel({ trace, threads: path.threads, units: path.units, batchTile: path.batchTile, variants });
  return path.kind === 'spread' ? lstmStepSplitKernel(path, trace, variants) : lstmStepKernel(trace, variants);
}

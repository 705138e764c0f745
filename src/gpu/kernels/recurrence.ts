import type { RecurrencePath } from '../plan.js';
import type { KernelSpec } from './kernel.js';
import { lstmSequenceKernel } from './lstm-sequence.js';
import { lstmStepKernel } from './lstm-step.js';

/** The kernel that runs the recurrence on the chosen path. */
export function recurrenceKernel(path: RecurrencePath, trace: boolean): KernelSpec {
  return path.kind === 'sequence'
    ? lstmSequenceKernel({ trace, threads: path.threads, batchTile: path.batchTile })
    : lstmStepKernel(trace);
}

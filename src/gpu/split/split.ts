import type { PreparedInput } from '../../core/prepared-input.js';
import { kTraceFields, type ForwardStats } from '../../core/results.js';
import { directionCount } from '../../model/config.js';
import { gatherRows, scatterRows, sequencesOnly } from './chunk-data.js';
import { addStats, emptyTrace, type PartResult, type SplitHost } from './host.js';
import { planSplit } from './plan.js';
import { runTimeChunks } from './time.js';

/**
 * Runs a forward call in as many calls as the device's limits need (see SplitPlan): one call when
 * it fits, and the same results as one call when it does not.
 */
export async function forwardSplit(host: SplitHost, input: PreparedInput): Promise<PartResult> {
  const plan = planSplit(host.config, host.limits, host.stepStride, input.steps, input.batch, input.trace);
  if (plan.kind === 'whole') return host.runWhole(input);
  if (plan.kind === 'time') return runTimeChunks(host, input, plan);
  return runBatchChunks(host, input, plan.batchPerCall);
}

/** Whole-model calls over consecutive groups of at most `batchPerCall` sequences. */
async function runBatchChunks(host: SplitHost, input: PreparedInput, batchPerCall: number): Promise<PartResult> {
  const { config } = host;
  const { steps: T, batch: B } = input;
  const H = config.hiddenSize;
  const D = directionCount(config);
  const LD = config.numLayers * D;
  const output = new Float32Array(T * B * D * H);
  const hN = new Float32Array(LD * B * H);
  const cN = new Float32Array(LD * B * H);
  const trace = input.trace ? emptyTrace(config, T * B * H) : null;
  let prediction: Float32Array | null = null; // the head's, [B, O] or [T, B, O]
  let stats: ForwardStats = { backend: 'webgpu', dispatches: 0, submits: 0, readbacks: 0 };
  for (let b0 = 0; b0 < B; b0 += batchPerCall) {
    const seqs = Array.from({ length: Math.min(batchPerCall, B - b0) }, (_, j) => b0 + j);
    const map = sequencesOnly(T, seqs);
    const states = sequencesOnly(LD, seqs);
    const part = await host.runWhole({
      steps: T,
      batch: seqs.length,
      x: gatherRows(input.x, B, config.inputSize, map),
      h0: input.h0 && gatherRows(input.h0, B, H, states),
      c0: input.c0 && gatherRows(input.c0, B, H, states),
      lengths: input.lengths && Int32Array.from(seqs, (b) => input.lengths![b]),
      trace: input.trace,
    });
    scatterRows(output, B, D * H, 0, part.output, D * H, map);
    scatterRows(hN, B, H, 0, part.hN, H, states);
    scatterRows(cN, B, H, 0, part.cN, H, states);
    trace?.forEach((entry, ld) => {
      for (const field of kTraceFields) scatterRows(entry[field], B, H, 0, part.trace![ld][field], H, map);
    });
    if (part.prediction) {
      const rowSteps = config.head?.over === 'sequence' ? T : 1;
      const width = part.prediction.length / (rowSteps * seqs.length);
      prediction ??= new Float32Array(rowSteps * B * width);
      scatterRows(prediction, B, width, 0, part.prediction, width, sequencesOnly(rowSteps, seqs));
    }
    stats = addStats(stats, part.stats);
  }
  return { output, hN, cN, trace, prediction, stats };
}

import type { PreparedInput } from '../../core/prepared-input.js';
import { kTraceFields, type ForwardStats, type TraceEntry } from '../../core/results.js';
import { directionCount, layerInputSize } from '../../model/config.js';
import { gatherRows, scatterRows, sequencesOnly, type ChunkMap } from './chunk-data.js';
import { addStats, emptyTrace, type LayerDirectionRunner, type PartResult, type SplitHost } from './host.js';
import type { SplitPlan } from './plan.js';

type TimePlan = Extract<SplitPlan, { kind: 'time' }>;

/**
 * Runs the network one layer and direction at a time, each over chunks of at most
 * `stepsPerCall` steps and `batchPerCall` sequences, carrying every sequence's (h, c) from chunk to
 * chunk. A layer's whole output is kept on the host for the next layer, which is what lets the
 * reverse direction (and a stacked layer above a bidirectional one) split over time at all.
 *
 * Chunks count steps s from each sequence's start: the forward direction reads time t = s, the
 * reverse direction t = length − 1 − s, the packed-sequence rule the kernels follow. A sequence
 * that has ended before a chunk starts is left out of it.
 */
export async function runTimeChunks(host: SplitHost, input: PreparedInput, plan: TimePlan): Promise<PartResult> {
  const { config } = host;
  const { steps: T, batch: B } = input;
  const H = config.hiddenSize;
  const D = directionCount(config);
  const lengths = input.lengths ?? new Int32Array(B).fill(T);
  const hN = new Float32Array(config.numLayers * D * B * H);
  const cN = new Float32Array(hN.length);
  const trace = input.trace ? emptyTrace(config, T * B * H) : null;
  let stats: ForwardStats = { backend: 'webgpu', dispatches: 0, submits: 0, readbacks: 0 };
  let layerInput: ArrayLike<number> = input.x;
  for (let layer = 0; layer < config.numLayers; layer++) {
    const output = new Float32Array(T * B * D * H);
    for (let direction = 0; direction < D; direction++) {
      const ld = layer * D + direction;
      const job: LayerDirectionJob = {
        runner: await host.openLayerDirection(layer, direction),
        input, plan, lengths, direction, output, stride: D * H,
        layerInput, width: layerInputSize(config, layer), hidden: H,
        h: initialState(input.h0, ld, B * H), c: initialState(input.c0, ld, B * H),
        trace: trace ? trace[ld] : null,
      };
      for (let b0 = 0; b0 < B; b0 += plan.batchPerCall) {
        const seqs = Array.from({ length: Math.min(plan.batchPerCall, B - b0) }, (_, j) => b0 + j);
        stats = addStats(stats, await runSequences(job, seqs));
      }
      hN.set(job.h, ld * B * H);
      cN.set(job.c, ld * B * H);
    }
    layerInput = output;
  }
  return { output: layerInput as Float32Array, hN, cN, trace, stats };
}

/** One layer and direction's run: where its input, output, states and trace live. */
interface LayerDirectionJob {
  readonly runner: LayerDirectionRunner;
  readonly input: PreparedInput;
  readonly plan: TimePlan;
  readonly lengths: Int32Array;
  readonly direction: number;
  readonly layerInput: ArrayLike<number>;
  readonly width: number;
  readonly hidden: number;
  /** [T, B, stride]: this direction writes columns direction·H … direction·H + H − 1. */
  readonly output: Float32Array;
  readonly stride: number;
  /** [B, H] each, updated after every chunk. */
  readonly h: Float32Array;
  readonly c: Float32Array;
  readonly trace: TraceEntry | null;
}

function initialState(state: Float64Array | null, ld: number, size: number): Float32Array {
  return state ? Float32Array.from(state.subarray(ld * size, (ld + 1) * size)) : new Float32Array(size);
}

/** Walks sequences `seqs` through their steps in chunks, from their own first step (s = 0). */
async function runSequences(job: LayerDirectionJob, seqs: readonly number[]): Promise<ForwardStats> {
  const { plan, lengths, direction, hidden: H, input } = job;
  const B = input.batch;
  let stats: ForwardStats = { backend: 'webgpu', dispatches: 0, submits: 0, readbacks: 0 };
  for (let s0 = 0; ; s0 += plan.stepsPerCall) {
    const active = seqs.filter((b) => lengths[b] > s0);
    if (active.length === 0) return stats;
    const steps = Math.min(plan.stepsPerCall, active.reduce((most, b) => Math.max(most, lengths[b] - s0), 0));
    const timeOf = (s: number, j: number) => {
      const length = lengths[active[j]];
      const step = s0 + s;
      if (step >= length) return -1;
      return direction === 0 ? step : length - 1 - step;
    };
    const map: ChunkMap = { steps, seqs: active, timeOf };
    const states = sequencesOnly(1, active);
    const part = await job.runner.run({
      steps,
      batch: active.length,
      x: gatherRows(job.layerInput, B, job.width, map),
      h0: gatherRows(job.h, B, H, states),
      c0: gatherRows(job.c, B, H, states),
      lengths: Int32Array.from(active, (b) => Math.min(lengths[b] - s0, steps)),
      trace: input.trace,
    });
    scatterRows(job.output, B, job.stride, direction * H, part.output, H, map);
    scatterRows(job.h, B, H, 0, part.hN, H, states);
    scatterRows(job.c, B, H, 0, part.cN, H, states);
    if (job.trace) {
      for (const field of kTraceFields) scatterRows(job.trace[field], B, H, 0, part.trace![0][field], H, map);
    }
    stats = addStats(stats, part.stats);
  }
}

import { LstmError } from '../core/errors.js';
import type { RunPlan } from '../core/run-plan.js';
import { directionCount, type LstmConfig } from '../model/config.js';
import type { GpuContext } from './context.js';
import { projectionWorkgroups } from './kernels/input-projection.js';
import { chooseBatchTile, kSequenceMaxUnits, sequenceKernelFits, sequenceThreads, sequenceUnits, type BatchTile } from './kernels/lstm-sequence.js';
import { stepWorkgroups } from './kernels/lstm-step.js';
import { kSplitThreads, kWorkgroupSplits, spreadWorkgroups, type SpreadReduction } from './kernels/lstm-step-split.js';
import { kH100Costs, kSwiftShaderCosts, stepCost, type DeviceCosts, type StepCost, type StepWork } from './cost-model.js';

type Workgroups = readonly [number, number, number];

/**
 * How the recurrence runs: 'sequence' is the persistent kernel (one dispatch walks all T steps,
 * where one workgroup can hold every hidden unit); 'steps' is one dispatch per time step, each
 * invocation a whole k-sum; 'spread' is one dispatch per step with each unit's k-sum split over a
 * subgroup or a workgroup (split-K, src/gpu/kernels/lstm-step-split.ts).
 */
export type RecurrencePath =
  | { readonly kind: 'sequence'; readonly threads: number; readonly units: number; readonly batchTile: BatchTile }
  | { readonly kind: 'steps' }
  | ({ readonly kind: 'spread' } & SpreadReduction);

/** Whether the path runs one dispatch per step (and so ping-pongs its state and reads step indices). */
export function perStepPath(path: RecurrencePath): boolean {
  return path.kind !== 'sequence';
}

/** A short name of the path and its specialisation, for cache keys and plans. */
export function pathLabel(path: RecurrencePath): string {
  if (path.kind === 'sequence') return `sequence (tile ${path.batchTile}, ${path.threads} threads × ${path.units} units)`;
  if (path.kind === 'steps') return 'steps';
  return path.reduction === 'subgroup' ? `spread (subgroupAdd, subgroups ≤ ${path.maxSubgroupSize})` : `spread (workgroup memory, split ${path.split})`;
}

/**
 * One dispatch of a forward call, by kernel, layer-direction and step. ShapeResources turns each
 * into a DispatchCommand (pipeline, bind group, dynamic offsets, workgroups) once per shape.
 */
export type DispatchRecord =
  | { readonly kernel: 'input_projection'; readonly layer: number; readonly direction: number; readonly workgroups: Workgroups }
  | { readonly kernel: 'lstm_sequence'; readonly layer: number; readonly direction: number; readonly workgroups: Workgroups }
  | {
      readonly kernel: 'lstm_step';
      readonly layer: number;
      readonly direction: number;
      /** s: the step index; the kernel maps it to time t (reversed per sequence for direction 1). */
      readonly step: number;
      readonly workgroups: Workgroups;
    };

export interface PathLimits {
  readonly maxComputeInvocationsPerWorkgroup: number;
  /** Workgroups worth keeping busy at once (cores of a software adapter, more on a real GPU). */
  readonly minWorkgroups: number;
  /** Whether the adapter runs on the CPU (sequenceUnits). */
  readonly software: boolean;
  /** The subgroup sizes the device may run, when it has the `subgroups` feature (and reports them); else null. */
  readonly subgroups: { readonly min: number; readonly max: number } | null;
  /** The cost model's constants for this device (src/gpu/cost-model.ts). */
  readonly costs: DeviceCosts;
}

/** One candidate kernel and its modelled step time, or why it cannot run the call. */
export interface PathPrediction {
  readonly path: RecurrencePath;
  readonly label: string;
  /** Modelled µs per time step (per layer and direction); null where the kernel cannot run. */
  readonly stepUs: number | null;
  readonly cost: StepCost | null;
  readonly unavailable?: string;
}

/** What the cost model chose for a call and why: runner.plan() returns this. */
export interface RecurrencePlanReport {
  readonly path: RecurrencePath;
  readonly label: string;
  readonly reason: string;
  /** 'auto', or the path the caller forced at load. */
  readonly choice: RecurrenceChoice;
  readonly device: string;
  readonly costsSource: string;
  readonly predictions: readonly PathPrediction[];
}

/** W_hh's bytes: ⌈H/4⌉·4 rows of H vec4s. */
function recurrentBytes(H: number): number {
  return 16 * 4 * Math.ceil(H / 4) * H;
}

/** The model's view of one step of `path` at (B, H). */
export function stepWork(path: RecurrencePath, H: number, B: number, costs: DeviceCosts): StepWork {
  const w = recurrentBytes(H);
  if (path.kind === 'sequence') {
    const groups = Math.ceil(B / path.batchTile);
    // Per unit and k: one W_hh vec4 load; per quad of k and tile row one h vec4 from workgroup memory, shared by the invocation's units.
    const loads = groups * H * H * (1 + path.batchTile / (4 * path.units));
    return { kind: 'sequence', bytes: w * groups, loads, flops: 8 * H * H * path.batchTile * groups, invocations: path.threads * groups, workgroups: groups, fixedUs: costs.barrierUs };
  }
  if (path.kind === 'steps') {
    const [x, y] = stepWorkgroups(B, H);
    // Per unit, k and group of 4 sequences: one W_hh load and four h loads.
    return { kind: 'steps', bytes: w * y, loads: 5 * H * H * y, flops: 8 * H * H * 4 * y, invocations: 64 * x * y, workgroups: x * y, fixedUs: costs.dispatchUs };
  }
  const [x, y] = spreadWorkgroups(path, B, H);
  const fixedUs = costs.dispatchUs + (path.reduction === 'workgroup' ? costs.barrierUs : 0);
  // Per unit, k and sequence: one W_hh load and one h load.
  return { kind: 'spread', bytes: w * B, loads: 2 * H * H * B, flops: 8 * H * H * B, invocations: kSplitThreads * x * y, workgroups: x * y, fixedUs };
}

/** Every kernel that could run (B, H) on this device, with its prediction, the feasible ones first by time. */
export function predictPaths(config: Pick<LstmConfig, 'hiddenSize'>, batch: number, limits: PathLimits): PathPrediction[] {
  const H = config.hiddenSize;
  const predictions: PathPrediction[] = [];
  const add = (path: RecurrencePath, unavailable?: string) => {
    const cost = unavailable ? null : stepCost(limits.costs, stepWork(path, H, batch, limits.costs));
    predictions.push({ path, label: pathLabel(path), stepUs: cost ? cost.us : null, cost, ...(unavailable ? { unavailable } : {}) });
  };
  const units = sequenceUnits(H, limits.software);
  const sequence: RecurrencePath = { kind: 'sequence', threads: sequenceThreads(H, units), units, batchTile: chooseBatchTile(batch, limits.minWorkgroups) };
  add(sequence, sequenceKernelFits(H, limits.maxComputeInvocationsPerWorkgroup) ? undefined : `one workgroup holds every unit: needs H ≤ ${Math.min(kSequenceMaxUnits, limits.maxComputeInvocationsPerWorkgroup)}`);
  add({ kind: 'steps' });
  const sub = limits.subgroups;
  if (sub && sub.max <= kSplitThreads && kSplitThreads % sub.max === 0) add({ kind: 'spread', reduction: 'subgroup', maxSubgroupSize: sub.max });
  else add({ kind: 'spread', reduction: 'subgroup', maxSubgroupSize: 0 }, sub ? `subgroups of up to ${sub.max} lanes do not divide ${kSplitThreads}` : 'the device has no subgroups feature (or reports no subgroup sizes)');
  for (const split of kWorkgroupSplits) add({ kind: 'spread', reduction: 'workgroup', split });
  return predictions.sort((a, b) => (a.stepUs ?? Infinity) - (b.stepUs ?? Infinity));
}

/**
 * The kernel the cost model predicts fastest for (B, H). Ties go to the earlier candidate: the
 * persistent kernel, then steps, then subgroups, then the smallest split (list order, stable sort).
 */
export function chooseRecurrencePath(config: Pick<LstmConfig, 'hiddenSize'>, batch: number, limits: PathLimits): RecurrencePath {
  return predictPaths(config, batch, limits)[0].path;
}

/**
 * How the caller may choose the recurrence path (RunnerOptions.recurrence): 'spread' takes the
 * spread kernel the model prefers, 'spread-subgroup' and 'spread-workgroup' one reduction.
 */
export type RecurrenceChoice = 'auto' | 'sequence' | 'steps' | 'spread' | 'spread-subgroup' | 'spread-workgroup';

export const kRecurrenceChoices: readonly RecurrenceChoice[] = ['auto', 'sequence', 'steps', 'spread', 'spread-subgroup', 'spread-workgroup'];

/** Whether `path` is one the caller's forced choice allows. */
function allows(choice: RecurrenceChoice, path: RecurrencePath): boolean {
  return choice === path.kind || (path.kind === 'spread' && choice === `spread-${path.reduction}`);
}

/** The cost model's constants for the context's adapter: SwiftShader's measured ones on a software adapter, else the H100 class. */
export function deviceCosts(context: GpuContext): DeviceCosts {
  return context.adapter.isSoftware ? { ...kSwiftShaderCosts, computeUnits: globalThis.navigator?.hardwareConcurrency ?? kSwiftShaderCosts.computeUnits } : kH100Costs;
}

/** The subgroup sizes of a device with the `subgroups` feature, from its adapter info; null without. */
export function deviceSubgroups(device: GPUDevice): { min: number; max: number } | null {
  if (!device.features.has('subgroups')) return null;
  const info = device.adapterInfo as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number };
  const { subgroupMinSize: min, subgroupMaxSize: max } = info ?? {};
  return typeof min === 'number' && typeof max === 'number' && min > 0 && max >= min ? { min, max } : null;
}

export function pathLimits(context: GpuContext): PathLimits {
  const { device, adapter } = context;
  return {
    maxComputeInvocationsPerWorkgroup: device.limits.maxComputeInvocationsPerWorkgroup,
    // A software adapter runs workgroups on CPU threads: two per core balanced best here (a
    // tile of 8 sequences with 2 workgroups on 2 cores ran 1.6× slower than a tile of 4 with 4).
    // A real GPU wants many more in flight.
    minWorkgroups: adapter.isSoftware ? 2 * (globalThis.navigator?.hardwareConcurrency ?? 2) : 64,
    software: adapter.isSoftware,
    subgroups: deviceSubgroups(device),
    costs: deviceCosts(context),
  };
}

/**
 * The plan of a call of `batch` sequences: the cost model's pick (or the caller's forced path),
 * every candidate's prediction, and the reason. Throws INVALID_ARGUMENT when the forced path
 * cannot run this model on this device.
 */
export function planRecurrence(context: GpuContext, config: LstmConfig, batch: number, choice: RecurrenceChoice): RecurrencePlanReport {
  const limits = pathLimits(context);
  const predictions = predictPaths(config, batch, limits);
  const base = { choice, device: limits.costs.name, costsSource: limits.costs.source, predictions };
  const best = predictions[0];
  if (choice === 'auto') {
    const next = predictions.find((p) => p.stepUs !== null && p.path.kind !== best.path.kind);
    const margin = next ? `; next ${next.label} at ${formatUs(next.stepUs!)}` : '';
    return { ...base, path: best.path, label: best.label, reason: `cost model (${limits.costs.name}): ${best.label} predicted fastest at ${formatUs(best.stepUs!)} per step for B = ${batch}, H = ${config.hiddenSize}${margin}` };
  }
  const forced = predictions.find((p) => allows(choice, p.path) && p.stepUs !== null);
  if (!forced) {
    const why = predictions.find((p) => allows(choice, p.path))?.unavailable ?? 'not available';
    throw new LstmError('INVALID_ARGUMENT', `recurrence: '${choice}' cannot run hiddenSize ${config.hiddenSize} on this device (${why})`);
  }
  return { ...base, path: forced.path, label: forced.label, reason: `forced by recurrence: '${choice}' at load (the cost model predicts ${formatUs(forced.stepUs!)} per step; its pick is ${best.label} at ${formatUs(best.stepUs!)})` };
}

/** The plan as the public Runner reports it (src/core/run-plan.ts). */
export function toRunPlan(report: RecurrencePlanReport): RunPlan {
  const { path, label, predictions, ...rest } = report;
  return {
    backend: 'webgpu',
    kind: path.kind,
    kernel: label,
    ...rest,
    predictions: predictions.map((p) => ({ kernel: p.label, kind: p.path.kind, stepUs: p.stepUs, ...(p.unavailable ? { unavailable: p.unavailable } : {}) })),
  };
}

function formatUs(us: number): string {
  return us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`;
}

/**
 * The path of a call (see planRecurrence). With `spread: false` (training, whose kernels have no
 * split-K step) a spread pick becomes 'steps'.
 */
export function recurrencePathFor(context: GpuContext, config: LstmConfig, batch: number, choice: RecurrenceChoice, options: { spread?: boolean } = {}): RecurrencePath {
  const { path } = planRecurrence(context, config, batch, choice);
  return path.kind === 'spread' && options.spread === false ? { kind: 'steps' } : path;
}

/**
 * The dispatches of one forward call, in order: per layer and direction, the input projection of
 * all T steps, then the recurrence — one persistent dispatch (2·L·D in all) or T step dispatches
 * (L·D·(T + 1) in all).
 */
export function planForward(config: LstmConfig, steps: number, batch: number, path: RecurrencePath): DispatchRecord[] {
  const H = config.hiddenSize;
  const records: DispatchRecord[] = [];
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (let direction = 0; direction < directionCount(config); direction++) {
      records.push({ kernel: 'input_projection', layer, direction, workgroups: projectionWorkgroups(steps * batch, H) });
      if (path.kind === 'sequence') {
        records.push({ kernel: 'lstm_sequence', layer, direction, workgroups: [Math.ceil(batch / path.batchTile), 1, 1] });
        continue;
      }
      const workgroups = path.kind === 'spread' ? spreadWorkgroups(path, batch, H) : stepWorkgroups(batch, H);
      for (let step = 0; step < steps; step++) records.push({ kernel: 'lstm_step', layer, direction, step, workgroups });
    }
  }
  return records;
}

import { LstmError } from '../core/errors.js';
import { directionCount, type LstmConfig } from '../model/config.js';
import type { GpuContext } from './context.js';
import { projectionWorkgroups } from './kernels/input-projection.js';
import { chooseBatchTile, kSequenceMaxUnits, sequenceKernelFits, sequenceThreads, sequenceUnits, type BatchTile } from './kernels/lstm-sequence.js';
import { stepWorkgroups } from './kernels/lstm-step.js';

type Workgroups = readonly [number, number, number];

/**
 * How the recurrence runs: 'sequence' is the persistent kernel (one dispatch walks all T steps,
 * where one workgroup can hold every hidden unit); 'steps' is one dispatch per time step.
 */
export type RecurrencePath =
  | { readonly kind: 'sequence'; readonly threads: number; readonly units: number; readonly batchTile: BatchTile }
  | { readonly kind: 'steps' };

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
}

export function chooseRecurrencePath(config: LstmConfig, batch: number, limits: PathLimits): RecurrencePath {
  const H = config.hiddenSize;
  if (!sequenceKernelFits(H, limits.maxComputeInvocationsPerWorkgroup)) return { kind: 'steps' };
  const units = sequenceUnits(H, limits.software);
  return { kind: 'sequence', threads: sequenceThreads(H, units), units, batchTile: chooseBatchTile(batch, limits.minWorkgroups) };
}

/** How the caller may choose the recurrence path (RunnerOptions.recurrence). */
export type RecurrenceChoice = 'auto' | 'sequence' | 'steps';

/**
 * The persistent sequence kernel where the model fits it (unless the caller chose), else
 * per-step dispatches; throws INVALID_ARGUMENT when 'sequence' was asked for and does not fit.
 */
export function recurrencePathFor(context: GpuContext, config: LstmConfig, batch: number, choice: RecurrenceChoice): RecurrencePath {
  const { device, adapter } = context;
  const path = chooseRecurrencePath(config, batch, {
    maxComputeInvocationsPerWorkgroup: device.limits.maxComputeInvocationsPerWorkgroup,
    // A software adapter runs workgroups on CPU threads: two per core balanced best here (a
    // tile of 8 sequences with 2 workgroups on 2 cores ran 1.6× slower than a tile of 4 with 4).
    // A real GPU wants many more in flight.
    minWorkgroups: adapter.isSoftware ? 2 * (globalThis.navigator?.hardwareConcurrency ?? 2) : 64,
    software: adapter.isSoftware,
  });
  if (choice === 'auto' || choice === path.kind) return path;
  if (choice === 'steps') return { kind: 'steps' };
  throw new LstmError(
    'INVALID_ARGUMENT',
    `recurrence: 'sequence' needs hiddenSize ≤ ${Math.min(kSequenceMaxUnits, device.limits.maxComputeInvocationsPerWorkgroup)} (one workgroup holds every unit), got ${config.hiddenSize}`,
  );
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
      const workgroups = stepWorkgroups(batch, H);
      for (let step = 0; step < steps; step++) records.push({ kernel: 'lstm_step', layer, direction, step, workgroups });
    }
  }
  return records;
}

import { directionCount, type LstmConfig } from '../model/config.js';
import { projectionWorkgroups } from './kernels/input-projection.js';
import { stepWorkgroups } from './kernels/lstm-step.js';

/** One dispatch of a forward call. The encoder turns each record into bind groups and a dispatch. */
export type DispatchRecord =
  | { readonly kernel: 'input_projection'; readonly layer: number; readonly direction: number; readonly workgroups: readonly [number, number, number] }
  | {
      readonly kernel: 'lstm_step';
      readonly layer: number;
      readonly direction: number;
      /** s: the step index; the kernel maps it to time t (reversed per sequence for direction 1). */
      readonly step: number;
      readonly workgroups: readonly [number, number, number];
    };

/**
 * The dispatches of one forward call, in order: per layer and direction, the input projection of
 * all T steps, then T fused steps. L·D·(T + 1) dispatches in all.
 */
export function planForward(config: LstmConfig, steps: number, batch: number): DispatchRecord[] {
  const H = config.hiddenSize;
  const records: DispatchRecord[] = [];
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (let direction = 0; direction < directionCount(config); direction++) {
      records.push({ kernel: 'input_projection', layer, direction, workgroups: projectionWorkgroups(steps * batch, H) });
      const workgroups = stepWorkgroups(batch, H);
      for (let step = 0; step < steps; step++) records.push({ kernel: 'lstm_step', layer, direction, step, workgroups });
    }
  }
  return records;
}

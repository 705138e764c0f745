import { describeValue } from '../core/describe.js';
import { invalidArgument, LstmError } from '../core/errors.js';
import type { GpuContext } from './context.js';

/**
 * Whether W_hh is stored as f16 (RunnerOptions.weights): 'float16' needs the device's
 * `shader-f16` feature (the library requests it where the adapter has it); a device without it is
 * BACKEND_UNAVAILABLE naming the adapter and the way out, before anything is uploaded.
 */
export function checkWeightStorage(context: GpuContext, weights: unknown): boolean {
  if (weights === undefined || weights === 'float32') return false;
  if (weights !== 'float16') throw invalidArgument(`weights: expected 'float32' or 'float16', got ${describeValue(weights)}`);
  if (context.device.features.has('shader-f16')) return true;
  const { vendor, architecture, description } = context.adapter;
  throw new LstmError(
    'BACKEND_UNAVAILABLE',
    `weights: 'float16' needs the WebGPU feature shader-f16, which this device lacks (adapter ${[vendor, architecture, description].filter(Boolean).join(' ')}); load without weights: 'float16' to store them as float32`,
  );
}

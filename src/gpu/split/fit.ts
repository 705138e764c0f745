import { limitExceeded } from '../../core/errors.js';
import type { LstmConfig } from '../../model/config.js';
import { listShapeBuffers, listWeightBuffers, shapeBuffers } from '../buffers.js';
import { BufferUsage } from '../flags.js';
import { projectionWorkgroups } from '../kernels/input-projection.js';
import { stepWorkgroups } from '../kernels/lstm-step.js';
import type { ForwardLimits } from '../limits.js';
import type { BufferSpec } from '../memory.js';

/** The first limit a call would break: which one, its value, and what asked for more. */
export interface LimitViolation {
  readonly limit: keyof ForwardLimits;
  readonly value: number;
  readonly what: string;
  readonly asked: number;
  readonly unit: 'bytes' | 'workgroups';
}

/** Storage bindings are bounded by both buffer limits; other buffers by maxBufferSize alone. */
function bufferViolation(limits: ForwardLimits, buffer: BufferSpec): LimitViolation | null {
  if ((buffer.usage & BufferUsage.STORAGE) !== 0 && buffer.bytes > limits.maxStorageBufferBindingSize) {
    return { limit: 'maxStorageBufferBindingSize', value: limits.maxStorageBufferBindingSize, what: buffer.name, asked: buffer.bytes, unit: 'bytes' };
  }
  if (buffer.bytes > limits.maxBufferSize) return { limit: 'maxBufferSize', value: limits.maxBufferSize, what: buffer.name, asked: buffer.bytes, unit: 'bytes' };
  return null;
}

/**
 * The first limit one forward call of (T, B, trace) would break, or null when it fits. It holds
 * the call to the buffers of the per-step path (shapeBuffers), which are those of the sequence
 * path plus the step-index buffer, and to every kernel's workgroup counts with the sequence
 * kernel at one sequence per workgroup: a call that fits may run on either path.
 */
export function callViolation(
  config: LstmConfig,
  limits: ForwardLimits,
  stepStride: number,
  steps: number,
  batch: number,
  trace: boolean,
): LimitViolation | null {
  for (const buffer of listShapeBuffers(shapeBuffers(config, steps, batch, trace, { kind: 'steps' }, stepStride).buffers)) {
    const violation = bufferViolation(limits, buffer);
    if (violation) return violation;
  }
  const H = config.hiddenSize;
  const dispatches: [string, number][] = [
    ['input projection workgroups', Math.max(...projectionWorkgroups(steps * batch, H))],
    ['step workgroups', Math.max(...stepWorkgroups(batch, H))],
    ['sequence workgroups', batch],
  ];
  for (const [what, count] of dispatches) {
    if (count > limits.maxComputeWorkgroupsPerDimension) {
      return { limit: 'maxComputeWorkgroupsPerDimension', value: limits.maxComputeWorkgroupsPerDimension, what, asked: count, unit: 'workgroups' };
    }
  }
  return null;
}

export function describeViolation(v: LimitViolation, context: string): string {
  return `${context}: ${v.what} needs ${v.asked} ${v.unit}, more than the device's ${v.limit} of ${v.value}`;
}

/** Refuses, when a model is loaded, weights that no split can make fit. */
export function checkWeightsFit(config: LstmConfig, limits: ForwardLimits): void {
  for (const buffer of listWeightBuffers(config)) {
    const violation = bufferViolation(limits, buffer);
    if (violation) throw limitExceeded(`${describeViolation(violation, 'load')}; weights cannot be split, so this model needs a device with a larger limit (or the CPU)`);
  }
}

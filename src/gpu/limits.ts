import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';

/**
 * The device limits a forward call is planned against. A call whose buffers or dispatches would
 * exceed them is split into several calls that fit (docs/architecture.md, docs/errors.md).
 */
export interface ForwardLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
}

/**
 * Smaller limits a caller may impose: each is used as min(device's, requested). They let the split
 * paths run on any device (the tests run them on SwiftShader), or keep single buffers small.
 */
export type RequestedLimits = Partial<ForwardLimits>;

const kLimitNames: readonly (keyof ForwardLimits)[] = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupsPerDimension'];

export function checkRequestedLimits(value: unknown): RequestedLimits {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgument(`limits: expected an object such as { maxBufferSize: 1048576 }, got ${describeValue(value)}`);
  }
  const limits: Partial<Record<keyof ForwardLimits, number>> = {};
  for (const [key, limit] of Object.entries(value)) {
    const name = kLimitNames.find((n) => n === key);
    if (!name) throw invalidArgument(`limits.${key}: unknown limit; expected some of ${kLimitNames.join(', ')}`);
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
      throw invalidArgument(`limits.${key}: expected a positive integer, got ${describeValue(limit)}`);
    }
    limits[name] = limit;
  }
  return limits;
}

/** The device's limits, lowered to the caller's where the caller asked for less. */
export function effectiveLimits(device: GPUDevice, requested: RequestedLimits): ForwardLimits {
  const pick = (name: keyof ForwardLimits) => Math.min(device.limits[name], requested[name] ?? Infinity);
  return {
    maxStorageBufferBindingSize: pick('maxStorageBufferBindingSize'),
    maxBufferSize: pick('maxBufferSize'),
    maxComputeWorkgroupsPerDimension: pick('maxComputeWorkgroupsPerDimension'),
  };
}

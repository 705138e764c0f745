import { limitExceeded } from '../core/errors.js';
import { directionCount, layerInputSize, type LstmConfig } from '../model/config.js';
import { projectionWorkgroups } from './kernels/input-projection.js';
import { stepWorkgroups } from './kernels/lstm-step.js';
import type { ForwardLimits } from './limits.js';
import { alignedBufferSize } from './memory.js';

/** A buffer as the limits see it: bound as storage (both limits apply) or not (maxBufferSize only). */
export interface SizedBuffer {
  readonly name: string;
  readonly bytes: number;
  readonly storage: boolean;
}

/** The first limit a call would break: which one, its value, and what asked for more. */
export interface LimitViolation {
  readonly limit: keyof ForwardLimits;
  readonly value: number;
  readonly what: string;
  readonly asked: number;
  readonly unit: 'bytes' | 'workgroups';
}

const kFloat = 4;

/**
 * The largest buffers one forward call of (T, B, trace) creates, as ShapeResources creates them.
 * Deliberately an upper bound: the step-index buffer (T slots of minUniformBufferOffsetAlignment
 * bytes) is counted even where the persistent kernel does without it. A GPU test
 * (test/gpu/split.test.ts) checks that no buffer a call creates is larger than this model says.
 */
export function workingSetBuffers(config: LstmConfig, steps: number, batch: number, trace: boolean, stepStride: number): SizedBuffer[] {
  const rows = steps * batch;
  const H = config.hiddenSize;
  const LD = config.numLayers * directionCount(config);
  const traceFloats = trace ? LD * 6 * rows * H : 1;
  const outputFloats = rows * directionCount(config) * H;
  return [
    { name: 'input x', bytes: rows * config.inputSize * kFloat, storage: true },
    { name: 'output sequence', bytes: outputFloats * kFloat, storage: true },
    { name: 'input projection G', bytes: rows * 4 * H * kFloat, storage: true },
    { name: 'trace', bytes: traceFloats * kFloat, storage: true },
    { name: 'lengths', bytes: batch * kFloat, storage: true },
    { name: '(h, c) state', bytes: batch * H * 2 * kFloat, storage: true },
    { name: 'step indices', bytes: steps * stepStride, storage: false },
    { name: 'staging (readback)', bytes: (outputFloats + LD * batch * H * 2 + (trace ? traceFloats : 0)) * kFloat, storage: false },
  ];
}

/** Storage bindings are bounded by both limits; other buffers by maxBufferSize alone. */
function bufferViolation(limits: ForwardLimits, buffer: SizedBuffer): LimitViolation | null {
  const bytes = alignedBufferSize(buffer.bytes);
  if (buffer.storage && bytes > limits.maxStorageBufferBindingSize) {
    return { limit: 'maxStorageBufferBindingSize', value: limits.maxStorageBufferBindingSize, what: buffer.name, asked: bytes, unit: 'bytes' };
  }
  if (bytes > limits.maxBufferSize) return { limit: 'maxBufferSize', value: limits.maxBufferSize, what: buffer.name, asked: bytes, unit: 'bytes' };
  return null;
}

/**
 * The first limit one forward call of (T, B, trace) would break, or null when it fits: its buffers,
 * and its dispatches' workgroup counts (the persistent kernel is counted at one sequence per
 * workgroup, again an upper bound).
 */
export function callViolation(
  config: LstmConfig,
  limits: ForwardLimits,
  stepStride: number,
  steps: number,
  batch: number,
  trace: boolean,
): LimitViolation | null {
  for (const buffer of workingSetBuffers(config, steps, batch, trace, stepStride)) {
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

/**
 * The weight buffers of each layer, as uploadModel packs them (4 gates × 4 bytes per element; W_hh
 * padded to whole quads of rows). The same GPU test holds this to what a load creates.
 */
export function weightBuffers(config: LstmConfig): SizedBuffer[] {
  const H = config.hiddenSize;
  return Array.from({ length: config.numLayers }, (_, layer) => [
    { name: `weight_ih_l${layer}`, bytes: layerInputSize(config, layer) * H * 4 * kFloat, storage: true },
    { name: `weight_hh_l${layer}`, bytes: Math.ceil(H / 4) * 4 * H * 4 * kFloat, storage: true },
    { name: `bias of layer ${layer}`, bytes: H * 4 * kFloat, storage: true },
  ]).flat();
}

/** Refuses, when a model is loaded, weights that no split can make fit. */
export function checkWeightsFit(config: LstmConfig, limits: ForwardLimits): void {
  for (const buffer of weightBuffers(config)) {
    const violation = bufferViolation(limits, buffer);
    if (violation) throw limitExceeded(`${describeViolation(violation, 'load')}; weights cannot be split, so this model needs a device with a larger limit (or the CPU)`);
  }
}

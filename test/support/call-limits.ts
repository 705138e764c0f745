/**
 * An independent judge of whether one GPU forward call fits a device's limits, for the split
 * planner's tests: a fake host that runs calls on the CPU refuses, through this, every call a real
 * device would refuse. Written from what the kernels read and write (shaders/*.wgsl) and WebGPU's
 * rules — deliberately not from the library's own working-set model, which is what is under test.
 */

export interface CallShape {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly steps: number;
  readonly batch: number;
  readonly trace: boolean;
  /** Bytes per step-parameter slot: the device's minUniformBufferOffsetAlignment. */
  readonly stepStride: number;
}

export interface CallLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
}

/** Rows (time step × sequence) one input-projection workgroup covers: 4 row groups × 4 rows (input_projection.wgsl). */
const kProjectionRowsPerWorkgroup = 16;
/** Sequences one step-kernel workgroup covers (kBatchPerThread in lstm_step.wgsl). */
const kStepSequencesPerWorkgroup = 4;

/** The library allocates whole 16-byte vec4s, at least one. */
const allocated = (bytes: number) => Math.max(16, Math.ceil(bytes / 16) * 16);

/**
 * The first limit the call breaks, as `"<limit>: <what> needs <n>"`, or null when it fits. Counts
 * only buffers and grids every path needs, each in float32: x (T·B·I), the input projection (T·B·4H),
 * one layer's output (T·B·D·H), the trace (L·D·6·T·B·H) when asked, the step-parameter slots
 * (T·stride, uniform), and the readback staging buffer (output, L·D·B·H·2 of h_n and c_n, trace).
 */
export function callBreaksLimits(c: CallShape, limits: CallLimits): string | null {
  const [T, B, H, f32] = [c.steps, c.batch, c.hiddenSize, 4];
  const D = c.bidirectional ? 2 : 1;
  const traceFloats = c.trace ? c.numLayers * D * 6 * T * B * H : 0;
  const storage: [string, number][] = [
    ['x', T * B * c.inputSize * f32],
    ['input projection', T * B * 4 * H * f32],
    ['layer output', T * B * D * H * f32],
    ['trace', traceFloats * f32],
  ];
  const other: [string, number][] = [
    ['step parameters', T * c.stepStride],
    ['staging', (T * B * D * H + c.numLayers * D * B * H * 2 + traceFloats) * f32],
  ];
  for (const [what, bytes] of storage) {
    if (allocated(bytes) > limits.maxStorageBufferBindingSize) return `maxStorageBufferBindingSize: ${what} needs ${allocated(bytes)}`;
  }
  for (const [what, bytes] of [...storage, ...other]) {
    if (allocated(bytes) > limits.maxBufferSize) return `maxBufferSize: ${what} needs ${allocated(bytes)}`;
  }
  const grids: [string, number][] = [
    ['projection workgroups', Math.ceil((T * B) / kProjectionRowsPerWorkgroup)],
    ['step workgroups', Math.ceil(B / kStepSequencesPerWorkgroup)],
  ];
  for (const [what, count] of grids) {
    if (count > limits.maxComputeWorkgroupsPerDimension) return `maxComputeWorkgroupsPerDimension: ${what} needs ${count}`;
  }
  return null;
}

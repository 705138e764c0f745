/**
 * One dispatch, ready to encode: everything the encoder needs, so that any kernel (a backward
 * kernel, an optimizer step) joins a call by adding records, without the encoder knowing its name.
 */
export interface DispatchCommand {
  readonly pipeline: GPUComputePipeline;
  readonly bindGroup: GPUBindGroup;
  /** The bind group's dynamic offsets, in binding order; absent when it has none. */
  readonly dynamicOffsets?: readonly number[];
  readonly workgroups: readonly [number, number, number];
}

/** A copy into the staging buffer, in bytes. */
export interface CopyCommand {
  readonly source: GPUBuffer;
  readonly sourceOffset: number;
  readonly destinationOffset: number;
  readonly size: number;
}

/** What one submission does: dispatches in order in one compute pass, then copies into `staging`. */
export interface CallCommands {
  readonly label: string;
  readonly dispatches: readonly DispatchCommand[];
  readonly staging: GPUBuffer;
  readonly copies: readonly CopyCommand[];
}

/** Encodes `call` into one command buffer and submits it. */
export function encodeAndSubmit(device: GPUDevice, call: CallCommands): void {
  const encoder = device.createCommandEncoder({ label: call.label });
  encodeDispatches(encoder, call.label, call.dispatches);
  encodeCopies(encoder, call);
  device.queue.submit([encoder.finish()]);
}

/** Encodes the copies of `call` into its staging buffer. */
export function encodeCopies(encoder: GPUCommandEncoder, call: CallCommands): void {
  for (const copy of call.copies) encoder.copyBufferToBuffer(copy.source, copy.sourceOffset, call.staging, copy.destinationOffset, copy.size);
}

/** Encodes `dispatches` in order as one compute pass; the pipeline is set only when it changes. */
export function encodeDispatches(encoder: GPUCommandEncoder, label: string, dispatches: readonly DispatchCommand[]): void {
  const pass = encoder.beginComputePass({ label });
  let current: GPUComputePipeline | null = null;
  for (const dispatch of dispatches) {
    if (dispatch.pipeline !== current) pass.setPipeline(dispatch.pipeline);
    current = dispatch.pipeline;
    pass.setBindGroup(0, dispatch.bindGroup, dispatch.dynamicOffsets);
    pass.dispatchWorkgroups(...dispatch.workgroups);
  }
  pass.end();
}

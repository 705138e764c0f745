/**
 * Counts what the library asks of Dawn from the outside, by wrapping the prototypes of Dawn's
 * WebGPU classes: live buffers (createBuffer / destroy), submits and dispatches. One tracker at a
 * time; stop() puts the originals back.
 */
interface DawnGlobals {
  GPUDevice: { prototype: GPUDevice };
  GPUBuffer: { prototype: GPUBuffer };
  GPUQueue: { prototype: GPUQueue };
  GPUComputePassEncoder: { prototype: GPUComputePassEncoder };
}

export async function trackDawn() {
  const { globals } = (await import('webgpu')) as unknown as { globals: DawnGlobals };
  const live = new Set<GPUBuffer>();
  const counts = { submits: 0, dispatches: 0 };
  const { createBuffer } = globals.GPUDevice.prototype;
  const { destroy } = globals.GPUBuffer.prototype;
  const { submit } = globals.GPUQueue.prototype;
  const { dispatchWorkgroups } = globals.GPUComputePassEncoder.prototype;
  globals.GPUDevice.prototype.createBuffer = function (descriptor: GPUBufferDescriptor) {
    const buffer = createBuffer.call(this, descriptor);
    live.add(buffer);
    return buffer;
  };
  globals.GPUBuffer.prototype.destroy = function () {
    live.delete(this);
    return destroy.call(this);
  };
  globals.GPUQueue.prototype.submit = function (buffers: Iterable<GPUCommandBuffer>) {
    counts.submits++;
    return submit.call(this, buffers);
  };
  globals.GPUComputePassEncoder.prototype.dispatchWorkgroups = function (...args: Parameters<GPUComputePassEncoder['dispatchWorkgroups']>) {
    counts.dispatches++;
    return dispatchWorkgroups.apply(this, args);
  };
  return {
    get live() {
      return live.size;
    },
    counts,
    stop() {
      globals.GPUDevice.prototype.createBuffer = createBuffer;
      globals.GPUBuffer.prototype.destroy = destroy;
      globals.GPUQueue.prototype.submit = submit;
      globals.GPUComputePassEncoder.prototype.dispatchWorkgroups = dispatchWorkgroups;
    },
  };
}

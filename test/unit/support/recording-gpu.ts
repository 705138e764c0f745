import type { AdapterSummary, GpuContext } from '../../../src/gpu/context.js';
import type { ForwardLimits } from '../../../src/gpu/limits.js';

/**
 * A stand-in WebGPU device for Node that records what the library asks of it: every buffer
 * (label, size, usage), every copy into the staging buffer, every bind group's dynamic offsets,
 * every dispatch. It computes nothing: mapped staging memory reads back as 0, 1, 2, … so a test
 * can see which staging float ended up where. It reads no DOM global, so a library call that
 * needs one (GPUBufferUsage, GPUMapMode, GPUShaderStage, GPUBuffer) fails here.
 */
export interface RecordedBuffer {
  readonly label: string;
  readonly size: number;
  readonly usage: number;
  destroyed: boolean;
}

export interface Recording {
  readonly buffers: RecordedBuffer[];
  readonly copies: { source: string; sourceOffset: number; destination: string; destinationOffset: number; size: number }[];
  readonly dynamicOffsets: number[][];
  readonly dispatches: number[][];
  submits: number;
}

const kLimits = {
  maxStorageBufferBindingSize: 2 ** 30,
  maxBufferSize: 2 ** 30,
  maxComputeWorkgroupsPerDimension: 65535,
  maxComputeInvocationsPerWorkgroup: 256,
  minUniformBufferOffsetAlignment: 256,
};

const kInfo = { vendor: 'test', architecture: 'recording', device: 'fake', description: 'records calls, computes nothing' };

export function recordingDevice(): { device: GPUDevice; recording: Recording } {
  const recording: Recording = { buffers: [], copies: [], dynamicOffsets: [], dispatches: [], submits: 0 };
  const label = (buffer: GPUBuffer) => (buffer as unknown as { record: RecordedBuffer }).record.label;
  const device = {
    limits: kLimits,
    features: new Set<string>(),
    adapterInfo: kInfo,
    lost: new Promise(() => {}),
    queue: {
      writeBuffer: () => {},
      submit: () => {
        recording.submits++;
      },
    },
    createBuffer(descriptor: GPUBufferDescriptor) {
      const record: RecordedBuffer = { label: descriptor.label ?? '', size: descriptor.size, usage: descriptor.usage, destroyed: false };
      recording.buffers.push(record);
      return {
        record,
        size: descriptor.size,
        usage: descriptor.usage,
        mapAsync: async () => {},
        getMappedRange: (offset = 0, size = descriptor.size - offset) => Float32Array.from({ length: size / 4 }, (_, i) => offset / 4 + i).buffer,
        unmap: () => {},
        destroy: () => {
          record.destroyed = true;
        },
      };
    },
    createBindGroupLayout: () => ({}),
    createPipelineLayout: () => ({}),
    createShaderModule: () => ({}),
    createComputePipelineAsync: async (descriptor: GPUComputePipelineDescriptor) => ({ label: descriptor.label }),
    createBindGroup: (descriptor: GPUBindGroupDescriptor) => ({ label: descriptor.label }),
    createCommandEncoder: () => ({
      beginComputePass: () => ({
        setPipeline: () => {},
        setBindGroup: (_index: number, _group: GPUBindGroup, offsets?: number[]) => {
          if (offsets) recording.dynamicOffsets.push([...offsets]);
        },
        dispatchWorkgroups: (...counts: number[]) => {
          recording.dispatches.push(counts);
        },
        end: () => {},
      }),
      copyBufferToBuffer: (source: GPUBuffer, sourceOffset: number, destination: GPUBuffer, destinationOffset: number, size: number) => {
        recording.copies.push({ source: label(source), sourceOffset, destination: label(destination), destinationOffset, size });
      },
      finish: () => ({}),
    }),
    pushErrorScope: () => {},
    popErrorScope: async () => null,
    destroy: () => {},
  };
  return { device: device as unknown as GPUDevice, recording };
}

/** A `GPU` entry point (navigator.gpu's type) whose one adapter gives a recording device. */
export function recordingGpu(): { gpu: GPU; recording: Recording } {
  const { device, recording } = recordingDevice();
  const adapter = { info: kInfo, features: new Set<string>(), limits: kLimits, requestDevice: async () => device };
  return { gpu: { requestAdapter: async () => adapter } as unknown as GPU, recording };
}

const kSoftware: AdapterSummary = { ...kInfo, isSoftware: true, features: [] };

/** A context on a recording device, as acquireGpu would make it: the device's limits, lowered to `limits`. */
export function recordingContext(limits: Partial<ForwardLimits> = {}): { context: GpuContext; recording: Recording } {
  const { device, recording } = recordingDevice();
  return { context: { device, adapter: kSoftware, ownsDevice: true, limits: { ...kLimits, ...limits } }, recording };
}

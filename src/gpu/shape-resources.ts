import { LstmError } from '../core/errors.js';
import { directionCount, type LstmConfig } from '../model/config.js';
import { BufferSet } from './memory.js';
import type { LayerDirectionBuffers } from './model-buffers.js';
import type { CompiledKernel } from './pipeline-cache.js';
import type { RecurrencePath } from './plan.js';

const kStateFloats = 2; // (h, c) per element

/** Where each part of a forward call's results lies in the one staging buffer, in floats. */
export interface ReadbackLayout {
  readonly outputFloats: number;
  readonly stateFloats: number; // per layer-direction: B·H·2
  readonly traceFloats: number; // per layer-direction: 6·T·B·H, 0 without trace
  readonly totalBytes: number;
}

/**
 * Every buffer and bind group a forward call of one (T, B, trace) shape needs, created the first
 * time that shape is seen and reused by later calls of the same shape.
 */
export class ShapeResources {
  readonly buffers: BufferSet;
  readonly x: GPUBuffer;
  readonly lengths: GPUBuffer;
  /** Per layer-direction, the ping-pong (h, c) state buffers; [0] holds h0/c0. */
  readonly states: GPUBuffer[][] = [];
  readonly finalSequence: GPUBuffer;
  readonly trace: GPUBuffer | null;
  readonly staging: GPUBuffer;
  readonly readback: ReadbackLayout;
  /**
   * Per layer-direction: the projection's bind group, and the recurrence's — one for the sequence
   * kernel, or two (by step parity) for the step kernel.
   */
  readonly projectionGroups: GPUBindGroup[] = [];
  readonly recurrenceGroups: GPUBindGroup[][] = [];
  /** Which buffer of each state pair holds h_n, c_n after the call. */
  readonly finalStateIndex: number;
  /** Byte stride between step parameter slots (the device's minUniformBufferOffsetAlignment). */
  readonly stepStride: number;

  constructor(
    device: GPUDevice,
    config: LstmConfig,
    weights: readonly LayerDirectionBuffers[],
    readonly kernels: { projection: CompiledKernel; recurrence: CompiledKernel },
    readonly path: RecurrencePath,
    readonly steps: number,
    readonly batch: number,
    traced: boolean,
  ) {
    const T = steps;
    const B = batch;
    const H = config.hiddenSize;
    const D = directionCount(config);
    const L = config.numLayers;
    const set = new BufferSet(device, `shape T=${T} B=${B}`);
    this.buffers = set;
    const storage = GPUBufferUsage.STORAGE;
    const sequenceBytes = T * B * D * H * 4;
    checkLimits(device, [
      ['input x', T * B * config.inputSize * 4],
      ['output sequence', sequenceBytes],
      ['input projection G', T * B * 4 * H * 4],
      ['trace', traced ? L * D * 6 * T * B * H * 4 : 0],
    ]);

    this.x = set.create('x', T * B * config.inputSize * 4, storage | GPUBufferUsage.COPY_DST);
    this.lengths = set.create('lengths', B * 4, storage | GPUBufferUsage.COPY_DST);
    const sequences = [set.create('sequence 0', sequenceBytes, storage | GPUBufferUsage.COPY_SRC)];
    if (L > 1) sequences.push(set.create('sequence 1', sequenceBytes, storage | GPUBufferUsage.COPY_SRC));
    this.finalSequence = sequences[(L - 1) % 2];
    const projection = set.create('G', T * B * 4 * H * 4, storage);
    const traceFloatsPerLd = traced ? 6 * T * B * H : 0;
    this.trace = traced ? set.create('trace', L * D * traceFloatsPerLd * 4, storage | GPUBufferUsage.COPY_SRC) : null;
    const traceBinding = this.trace ?? set.create('trace (unused)', 4, storage);

    this.stepStride = device.limits.minUniformBufferOffsetAlignment;
    const stepParams = path.kind === 'steps' ? stepIndexBuffer(device, set, T, this.stepStride) : null;

    const projectionDims: GPUBuffer[] = [];
    for (let layer = 0; layer < L; layer++) {
      const inner = layer === 0 ? config.inputSize : D * H;
      projectionDims.push(uniform(device, set, `projection dims l${layer}`, [T * B, inner, H, inner % 4 === 0 ? 1 : 0]));
    }

    for (const w of weights) {
      const ld = w.layer * D + w.direction;
      const layerInput = w.layer === 0 ? this.x : sequences[(w.layer - 1) % 2];
      const output = sequences[w.layer % 2];
      this.projectionGroups.push(
        bindGroup(device, kernels.projection, `projection l${w.layer}d${w.direction}`, [
          projectionDims[w.layer],
          layerInput,
          w.inputWeights,
          w.bias,
          projection,
        ]),
      );
      const stateBytes = B * H * kStateFloats * 4;
      const pair = [0, 1].map((p) =>
        set.create(`state l${w.layer}d${w.direction} #${p}`, stateBytes, storage | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC),
      );
      this.states.push(pair);
      const dims = uniform(device, set, `recurrence dims l${w.layer}d${w.direction}`, [
        B, H, D * H, w.direction * H, w.direction, ld * traceFloatsPerLd, T * B * H, T,
      ]);
      const label = `${path.kind} l${w.layer}d${w.direction}`;
      const shared = [projection, w.recurrentWeights, this.lengths];
      this.recurrenceGroups.push(
        path.kind === 'sequence'
          ? [bindGroup(device, kernels.recurrence, label, [dims, ...shared, pair[0], pair[1], output, traceBinding])]
          : [0, 1].map((parity) =>
              bindGroup(device, kernels.recurrence, `${label} parity ${parity}`, [
                { buffer: stepParams!, size: 16 },
                dims,
                ...shared,
                pair[parity],
                pair[1 - parity],
                output,
                traceBinding,
              ]),
            ),
      );
    }
    this.finalStateIndex = path.kind === 'sequence' ? 1 : T % 2;

    const outputFloats = T * B * D * H;
    const stateFloats = B * H * kStateFloats;
    this.readback = {
      outputFloats,
      stateFloats,
      traceFloats: traceFloatsPerLd,
      totalBytes: (outputFloats + L * D * (stateFloats + traceFloatsPerLd)) * 4,
    };
    this.staging = set.create('staging', this.readback.totalBytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  }

  destroy(): void {
    this.buffers.destroy();
  }
}

/** One 16-byte slot per step at `stride` bytes, holding the step index, selected by dynamic offset. */
function stepIndexBuffer(device: GPUDevice, set: BufferSet, steps: number, stride: number): GPUBuffer {
  const buffer = set.create('step indices', steps * stride, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  const indices = new Uint32Array((steps * stride) / 4);
  for (let s = 0; s < steps; s++) indices[(s * stride) / 4] = s;
  device.queue.writeBuffer(buffer, 0, indices);
  return buffer;
}

function uniform(device: GPUDevice, set: BufferSet, name: string, values: number[]): GPUBuffer {
  const data = new Uint32Array(values);
  const buffer = set.create(name, data.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

function bindGroup(
  device: GPUDevice,
  kernel: CompiledKernel,
  label: string,
  resources: (GPUBuffer | GPUBufferBinding)[],
): GPUBindGroup {
  return device.createBindGroup({
    label,
    layout: kernel.layout,
    entries: resources.map((resource, binding) => ({
      binding,
      resource: resource instanceof GPUBuffer ? { buffer: resource } : resource,
    })),
  });
}

/** Refuses, with the limit's name and both sizes, a buffer the device cannot bind. */
function checkLimits(device: GPUDevice, sizes: [string, number][]): void {
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  for (const [name, bytes] of sizes) {
    if (bytes > limit) {
      const which = device.limits.maxStorageBufferBindingSize <= device.limits.maxBufferSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
      throw new LstmError('INVALID_ARGUMENT', `${name} needs ${bytes} bytes, more than the device's ${which} of ${limit} bytes; use fewer steps or a smaller batch per call`);
    }
  }
}

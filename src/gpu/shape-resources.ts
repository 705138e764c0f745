import type { PreparedInput } from '../core/prepared-input.js';
import { directionCount, layerInputSize, type LstmConfig } from '../model/config.js';
import { mapShapeBuffers, shapeBuffers, type ShapeBuffers } from './buffers.js';
import type { CallCommands, CopyCommand, DispatchCommand } from './encode.js';
import { headBindGroups, planHead, predictionBuffer, type HeadKernels, type HeadParams } from './head.js';
import { kCellDims } from './kernels/cell-bindings.js';
import { kProjectionDims, projectionDims } from './kernels/input-projection.js';
import { packUniform, uniformBytes } from './kernels/kernel.js';
import { kStepParams } from './kernels/lstm-step.js';
import { kStateFloats, type ReadbackLayout } from './layout.js';
import { BufferSet } from './memory.js';
import type { LayerDirectionBuffers } from './model-buffers.js';
import { interleaveState } from './pack.js';
import type { CompiledKernel } from './pipeline-cache.js';
import { planForward, type DispatchRecord, type RecurrencePath } from './plan.js';

const kFloat = 4;

/** The kernels of one shape's path: the input projection and the recurrence. */
export interface ShapeKernels {
  readonly projection: CompiledKernel;
  readonly recurrence: CompiledKernel;
  /** The dense head's kernels; present when the model has a head. */
  readonly head?: HeadKernels;
}

/**
 * Every buffer, bind group and command a forward call of one (T, B, trace) shape needs, created
 * the first time that shape is seen (buffers exactly as shapeBuffers lists them) and reused by
 * later calls of the same shape. A call then only writes its inputs and submits `commands`.
 */
export class ShapeResources {
  readonly memory: BufferSet;
  readonly buffers: ShapeBuffers<GPUBuffer>;
  readonly readback: ReadbackLayout;
  readonly commands: CallCommands;
  /** Which of each layer-direction's two state buffers holds (h_n, c_n) after a call. */
  private readonly finalStateIndex: 0 | 1;

  constructor(
    device: GPUDevice,
    private readonly config: LstmConfig,
    weights: readonly LayerDirectionBuffers[],
    kernels: ShapeKernels,
    path: RecurrencePath,
    readonly steps: number,
    readonly batch: number,
    trace: boolean,
    stepStride: number,
    head: HeadParams | null = null,
  ) {
    const [T, B, H, D] = [steps, batch, config.hiddenSize, directionCount(config)];
    const plan = shapeBuffers(config, T, B, trace, path, stepStride);
    this.readback = plan.readback;
    this.memory = new BufferSet(device, `shape T=${T} B=${B}`);
    const buffers = mapShapeBuffers(plan.buffers, (spec) => this.memory.create(spec));
    this.buffers = buffers;

    const queue = device.queue;
    buffers.projectionDims.forEach((dims, layer) => queue.writeBuffer(dims, 0, packUniform(kProjectionDims, projectionDims(T * B, layerInputSize(config, layer), H))));
    if (buffers.stepIndices) queue.writeBuffer(buffers.stepIndices, 0, stepIndices(T, stepStride));
    const { traceLayout } = this.readback;

    const projectionGroups: GPUBindGroup[] = [];
    const recurrenceGroups: GPUBindGroup[][] = [];
    for (const w of weights) {
      const ld = w.layer * D + w.direction;
      const name = `l${w.layer}d${w.direction}`;
      const { states, dims } = buffers.layerDirections[ld];
      queue.writeBuffer(dims, 0, packUniform(kCellDims, {
        batch: B,
        units: H,
        out_stride: D * H,
        out_offset: w.direction * H,
        reverse: w.direction,
        trace_base: ld * traceLayout.perLayerDirection, // read only when tracing
        trace_field: traceLayout.field,
        steps: T,
      }));
      const layerInput = w.layer === 0 ? buffers.x : buffers.sequences[(w.layer - 1) % 2];
      const output = buffers.sequences[w.layer % 2];
      projectionGroups.push(bindGroup(device, kernels.projection, `projection ${name}`, {
        dims: buffers.projectionDims[w.layer], x: layerInput, w: w.inputWeights, bias: w.bias, z: buffers.projection,
      }));
      const cell = { dims, z_in: buffers.projection, w_hh: w.recurrentWeights, lengths: buffers.lengths, output, trace: buffers.trace, ...(w.peephole ? { peephole: w.peephole } : {}) };
      recurrenceGroups.push(
        buffers.stepIndices
          ? [0, 1].map((parity) =>
              bindGroup(device, kernels.recurrence, `${path.kind} ${name} parity ${parity}`, {
                step_params: { buffer: buffers.stepIndices!, size: uniformBytes(kStepParams) },
                ...cell,
                state_in: states[parity],
                state_out: states[1 - parity],
              }),
            )
          : [bindGroup(device, kernels.recurrence, `${path.kind} ${name}`, { ...cell, state_in: states[0], state_out: states[1] })],
      );
    }

    const command = (record: DispatchRecord): DispatchCommand => {
      const ld = record.layer * D + record.direction;
      if (record.kernel === 'input_projection') return { pipeline: kernels.projection.pipeline, bindGroup: projectionGroups[ld], workgroups: record.workgroups };
      if (record.kernel === 'lstm_sequence') return { pipeline: kernels.recurrence.pipeline, bindGroup: recurrenceGroups[ld][0], workgroups: record.workgroups };
      const { step } = record;
      return { pipeline: kernels.recurrence.pipeline, bindGroup: recurrenceGroups[ld][step % 2], dynamicOffsets: [step * stepStride], workgroups: record.workgroups };
    };
    // The sequence kernel leaves (h_n, c_n) in state_out; the step kernels ping-pong, ending in [T % 2].
    this.finalStateIndex = path.kind === 'sequence' ? 1 : ((steps % 2) as 0 | 1);
    this.commands = {
      label: 'lstm forward',
      dispatches: [...planForward(config, T, B, path).map(command), ...this.headCommands(device, kernels, head)],
      staging: buffers.staging,
      copies: this.readbackCopies(),
    };
  }

  /** Writes a call's x, lengths and initial states; nothing else changes between calls of one shape. */
  writeInputs(queue: GPUQueue, input: PreparedInput): void {
    const { x, lengths, layerDirections } = this.buffers;
    queue.writeBuffer(x, 0, Float32Array.from(input.x));
    queue.writeBuffer(lengths, 0, input.lengths ? Uint32Array.from(input.lengths) : new Uint32Array(this.batch).fill(this.steps));
    this.readback.states.forEach((region, ld) => {
      const count = region.length / kStateFloats;
      queue.writeBuffer(layerDirections[ld].states[0], 0, interleaveState(input.h0, input.c0, ld * count, count));
    });
  }

  destroy(): void {
    this.memory.destroy();
  }

  /** Layer-direction ld's buffer of (h, c) pairs [B, H] that holds (h_n, c_n) once `commands` ran. */
  finalState(ld: number): GPUBuffer {
    return this.buffers.layerDirections[ld].states[this.finalStateIndex];
  }

  /** The head's dispatches after the LSTM's (src/gpu/head.ts); none without a head. */
  private headCommands(device: GPUDevice, kernels: ShapeKernels, head: HeadParams | null): DispatchCommand[] {
    const buffers = this.buffers.head;
    if (!buffers) return [];
    if (!head || !kernels.head) throw new Error('ShapeResources: a model with a head needs its parameters and kernels');
    const io = { lengths: this.buffers.lengths, topOutput: this.topOutput(), steps: this.steps, batch: this.batch };
    const groups = headBindGroups(device, this.config, head, kernels.head, buffers, io, (kernel, label, resources) => bindGroup(device, kernel, label, resources));
    return planHead(this.config, this.steps, this.batch).map((record, k) => ({
      pipeline: (record.kernel === 'gather_last' ? kernels.head!.gather : kernels.head!.dense).pipeline,
      bindGroup: groups[k],
      workgroups: record.workgroups,
    }));
  }

  /** The last layer's output sequence [T, B, D·H]. */
  private topOutput(): GPUBuffer {
    return this.buffers.sequences[(this.config.numLayers - 1) % 2];
  }

  /** The copies that fill the staging buffer as `readback` lays it out. */
  private readbackCopies(): CopyCommand[] {
    const { sequences, trace } = this.buffers;
    const layout = this.readback;
    const copy = (source: GPUBuffer, offset: number, length: number): CopyCommand => ({ source, sourceOffset: 0, destinationOffset: offset * kFloat, size: length * kFloat });
    const { head } = this.buffers;
    return [
      copy(sequences[(this.config.numLayers - 1) % 2], layout.output.offset, layout.output.length),
      ...layout.states.map((region, ld) => copy(this.finalState(ld), region.offset, region.length)),
      ...(layout.trace ? [copy(trace, layout.trace[0].offset, layout.traceLayout.total)] : []),
      ...(head && layout.prediction ? [copy(predictionBuffer(head, this.topOutput()), layout.prediction.offset, layout.prediction.length)] : []),
    ];
  }
}

/** One 16-byte slot per step at `stride` bytes, holding the step index, selected by dynamic offset. */
function stepIndices(steps: number, stride: number): Uint32Array<ArrayBuffer> {
  const indices = new Uint32Array((steps * stride) / 4);
  for (let s = 0; s < steps; s++) indices[(s * stride) / 4] = s;
  return indices;
}

/** A bind group of `kernel`, its resources given by the binding names of the kernel's spec. */
export function bindGroup(device: GPUDevice, kernel: CompiledKernel, label: string, resources: Record<string, GPUBuffer | GPUBufferBinding>): GPUBindGroup {
  const names = kernel.spec.bindings.map((b) => b.name);
  const unknown = Object.keys(resources).filter((name) => !names.includes(name));
  if (unknown.length > 0 || names.some((name) => !(name in resources))) {
    throw new Error(`${label}: bind group resources ${Object.keys(resources).join(', ')} do not match ${kernel.spec.name}'s bindings ${names.join(', ')}`);
  }
  return device.createBindGroup({
    label,
    layout: kernel.layout,
    entries: names.map((name, binding) => {
      const resource = resources[name];
      // A GPUBufferBinding names its buffer; a GPUBuffer (no `buffer` member) is bound whole.
      return { binding, resource: 'buffer' in resource ? resource : { buffer: resource } };
    }),
  });
}

import type { PreparedInput } from '../../core/prepared-input.js';
import type { LossKind } from '../../core/training.js';
import { directionCount } from '../../model/config.js';
import { headInputSize, headOutputSize } from '../../model/head.js';
import type { DispatchCommand } from '../encode.js';
import { f32Bits, kLossDims } from '../kernels/train.js';
import { BufferSet } from '../memory.js';
import { interleaveState } from '../pack.js';
import type { RecurrencePath } from '../plan.js';
import type { BackwardPath } from '../kernels/train-sequence.js';
import { addHeadBackward, addInputGradient, addLoss, addLstmBackward } from './backward-commands.js';
import { CommandBuilder, type UniformRef } from './command-builder.js';
import { addForward, headInput, type TrainContext } from './forward-commands.js';
import { mapTrainShapeBuffers, trainShapeBuffers, type TrainShapeBuffers } from './shape-buffers.js';

/** The dispatches of one shape's calls, cut into the parts a call strings together. */
export interface TrainShapeCommands {
  readonly forward: readonly DispatchCommand[];
  readonly loss: readonly DispatchCommand[];
  readonly backward: readonly DispatchCommand[];
  /** dx = ∂L/∂x (layer 0's input gradient): only gradients() reads it, so a step leaves it out. */
  readonly inputGradient: readonly DispatchCommand[];
}

/**
 * Everything a training call of one (T, B) shape needs: the buffers trainShapeBuffers lists, and
 * the commands of the forward (traced), the loss and the backward, made once and reused by
 * every call of that shape. A call writes its inputs, then encodes some of the parts.
 */
export class TrainShape {
  readonly memory: BufferSet;
  readonly buffers: TrainShapeBuffers<GPUBuffer>;
  readonly commands: TrainShapeCommands;
  private readonly uniforms: GPUBuffer;
  private readonly lossDims: UniformRef;

  constructor(
    device: GPUDevice,
    private readonly ctx: TrainContext,
    path: RecurrencePath,
    backwardPath: BackwardPath,
    private readonly loss: LossKind,
    singleBias: boolean,
    readonly steps: number,
    readonly batch: number,
  ) {
    const [T, B] = [steps, batch];
    this.memory = new BufferSet(device, `training shape T=${T} B=${B}`);
    this.buffers = mapTrainShapeBuffers(trainShapeBuffers(ctx.config, T, B, ctx.stepStride), (spec) => this.memory.create(spec));
    const slots = new Uint32Array(((T + 1) * ctx.stepStride) / 4);
    for (let s = 0; s <= T; s++) slots[(s * ctx.stepStride) / 4] = s;
    device.queue.writeBuffer(this.buffers.stepIndices, 0, slots);

    const builder = new CommandBuilder(device.limits.minUniformBufferOffsetAlignment, device.limits.maxComputeWorkgroupsPerDimension);
    addForward(ctx, builder, this.buffers, path, T, B);
    const afterForward = builder.mark();
    this.lossDims = addLoss(ctx, builder, this.buffers, loss, T, B).lossDims;
    const afterLoss = builder.mark();
    addHeadBackward(ctx, builder, this.buffers, loss, T, B);
    addLstmBackward(ctx, builder, this.buffers, T, B, { singleBias, path: backwardPath });
    const afterBackward = builder.mark();
    addInputGradient(ctx, builder, this.buffers, 0, T, B);
    const { uniforms, commands } = builder.finish(device, this.memory, `training T=${T} B=${B}`);
    this.uniforms = uniforms;
    this.commands = {
      forward: commands.slice(0, afterForward),
      loss: commands.slice(afterForward, afterLoss),
      backward: commands.slice(afterLoss, afterBackward),
      inputGradient: commands.slice(afterBackward),
    };
  }

  /** O: the prediction's width, and the head's row count. */
  get prediction(): { buffer: GPUBuffer; rows: number; width: number } {
    const { config } = this.ctx;
    const head = config.head!;
    const width = headOutputSize(head, headInputSize(config.hiddenSize, directionCount(config)));
    const rows = head.over === 'last' ? this.batch : this.steps * this.batch;
    const buffer = head.layers.length === 0 ? headInput(config, this.buffers) : this.buffers.dense[head.layers.length - 1].a;
    return { buffer, rows, width };
  }

  /** Writes a call's x, lengths, initial states and (for a loss) its target and 1/n. */
  writeInputs(queue: GPUQueue, input: PreparedInput, target: Float64Array | null): void {
    const { config } = this.ctx;
    const [T, B, H] = [this.steps, this.batch, config.hiddenSize];
    const b = this.buffers;
    queue.writeBuffer(b.x, 0, Float32Array.from(input.x));
    queue.writeBuffer(b.lengths, 0, input.lengths ? Uint32Array.from(input.lengths) : new Uint32Array(B).fill(T));
    const states = b.states.length * B * H;
    queue.writeBuffer(b.h0, 0, input.h0 ? Float32Array.from(input.h0) : new Float32Array(states));
    queue.writeBuffer(b.c0, 0, input.c0 ? Float32Array.from(input.c0) : new Float32Array(states));
    b.states.forEach(([first], ld) => queue.writeBuffer(first, 0, interleaveState(input.h0, input.c0, ld * B * H, B * H)));
    if (!target) return;
    queue.writeBuffer(b.target, 0, Float32Array.from(target));
    const { rows, width } = this.prediction;
    let counted = rows;
    if (config.head!.over === 'sequence' && input.lengths) counted = input.lengths.reduce((sum, len) => sum + len, 0);
    const n = this.loss === 'cross-entropy' ? counted : counted * width;
    // Only 1/n changes between calls (it depends on the lengths); the rest was written with the shape.
    queue.writeBuffer(this.uniforms, this.lossDims.offset + kLossDims.fields.indexOf('inv_count') * 4, Uint32Array.of(f32Bits(1 / n)));
  }

  destroy(): void {
    this.memory.destroy();
  }
}

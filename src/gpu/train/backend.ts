import { LstmError } from '../../core/errors.js';
import { gpuWait, popErrorScopes } from '../gpu-wait.js';
import { cacheShape } from '../shape-cache.js';
import type { PreparedInput } from '../../core/prepared-input.js';
import type { GradientResult, StepResult, TrainingBackend, TrainingBatch, TrainingSetup } from '../../core/training.js';
import { directionCount, layerInputSize } from '../../model/config.js';
import type { LSTM } from '../../model/lstm.js';
import { paramSpecs } from '../../model/params.js';
import type { GpuContext } from '../context.js';
import { watchDevice, type DeviceWatch } from '../device-lost.js';
import { encodeAndSubmit, type CopyCommand, type DispatchCommand } from '../encode.js';
import { BufferUsage, MapMode } from '../flags.js';
import { recurrenceKernel } from '../kernels/recurrence.js';
import { chooseBackwardPath, lstmBackwardSequenceKernel } from '../kernels/train-sequence.js';
import { BufferSet } from '../memory.js';
import { getKernel } from '../pipeline-cache.js';
import { recurrencePathFor, type RecurrencePath } from '../plan.js';
import type { BatchTile } from '../kernels/lstm-sequence.js';
import { CommandBuilder } from './command-builder.js';
import { addBiasSums, type TrainContext } from './forward-commands.js';
import { compileTrainKernels } from './kernels.js';
import { addOptimizer, optimizerUniform, type OptimizerBuffers } from './optimizer-commands.js';
import { foldRecurrentBias, packParameters, paramLayout, trainedMask, unpackParameters } from './param-layout.js';
import { checkTrainingLimits, listTrainShapeBuffers, trainShapeBuffers } from './shape-buffers.js';
import { TrainShape } from './train-shape.js';

const kFloat = 4;
const { STORAGE, COPY_SRC, COPY_DST, MAP_READ } = BufferUsage;

type CallKind = 'predict' | 'evaluate' | 'gradients' | 'step';

/**
 * Training on a WebGPU device (docs/training.md, "On the GPU"). Parameters, gradients and the
 * optimizer's state live in flat float32 buffers on the device between calls (layout:
 * param-layout.ts); each call is one command buffer and one submit: the traced forward, the head,
 * the loss, the backward and, for a step, clipping and the update. A step's loss comes back through
 * its own small staging buffer, mapped without blocking the next step's encoding: step() resolves
 * when that map does, and calls are queued, so steps may be encoded back to back.
 */
export class GpuTrainingBackend implements TrainingBackend {
  readonly kind = 'webgpu' as const;
  private readonly shapes = new Map<string, TrainShape>();
  private readonly freeStaging: GPUBuffer[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private stepCount = 0;
  private disposed = false;
  private readonly watch: DeviceWatch;

  private constructor(
    private readonly context: GpuContext,
    private readonly model: LSTM,
    private readonly setup: TrainingSetup,
    private readonly ctx: TrainContext,
    private readonly memory: BufferSet,
    private readonly prefix: readonly DispatchCommand[],
    private readonly suffix: readonly DispatchCommand[],
    private readonly optimizerUniforms: { buffer: GPUBuffer; offset: number },
    /** [‖g‖, non-finite count] of the last step (OptimizerBuffers.norm). */
    private readonly norm: GPUBuffer,
  ) {
    this.watch = watchDevice(context.device);
  }

  static async create(context: GpuContext, model: LSTM, setup: TrainingSetup): Promise<GpuTrainingBackend> {
    const lost = watchDevice(context.device).error('train');
    if (lost) throw lost;
    const { device } = context;
    const config = model.config;
    const layout = paramLayout(config);
    const specs = paramSpecs(config);
    const trained = new Set(specs.filter((s) => !(setup.singleBias && s.kind === 'bias_hh')).map((s) => s.name));
    const flat = packParameters(config, layout, new Map([...model.tensors()].map(([name, t]) => [name, t.data])));
    if (setup.singleBias) foldRecurrentBias(layout, flat);
    const paramBytes = layout.total * kFloat;
    const spec = (name: string, usage: number) => ({ name, bytes: paramBytes, usage });
    checkTrainingLimits([spec('parameters', STORAGE)], context.limits, 'train');
    const kernels = await compileTrainKernels(device, config);
    const memory = new BufferSet(device, 'trainer');
    const params = memory.upload(spec('parameters', STORAGE | COPY_DST | COPY_SRC), flat);
    const grads = memory.create(spec('gradients', STORAGE | COPY_SRC));
    const optimizer: OptimizerBuffers = {
      first: memory.create(spec('optimizer state 1', STORAGE)),
      second: memory.create(spec('optimizer state 2', STORAGE)),
      mask: memory.upload(spec('trained mask', STORAGE | COPY_DST), trainedMask(config, layout, trained)),
      norm: memory.create({ name: 'gradient norm', bytes: 16, usage: STORAGE | COPY_SRC }),
    };
    const LD = config.numLayers * directionCount(config);
    const forwardBias = Array.from({ length: LD }, (_, ld) => memory.create({ name: `forward bias ${ld}`, bytes: config.hiddenSize * 16, usage: STORAGE }));
    const ctx: TrainContext = { config, layout, params, grads, forwardBias, kernels, stepStride: device.limits.minUniformBufferOffsetAlignment };
    const maxGroups = device.limits.maxComputeWorkgroupsPerDimension;
    const builder = new CommandBuilder(device.limits.minUniformBufferOffsetAlignment, maxGroups);
    addBiasSums(ctx, builder);
    const prefixEnd = builder.mark();
    const ref = addOptimizer(ctx, builder, optimizer, setup, maxGroups);
    const { uniforms, commands } = builder.finish(device, memory, 'trainer');
    return new GpuTrainingBackend(context, model, setup, ctx, memory, commands.slice(0, prefixEnd), commands.slice(prefixEnd), { buffer: uniforms, offset: ref.offset }, optimizer.norm);
  }

  step(batch: TrainingBatch): Promise<StepResult> {
    // Resolves to the loss promise wrapped in an object, so the queue moves on once the step is submitted.
    const submitted = this.enqueue(() => this.call('step', batch.input, batch.target));
    return submitted.then(({ staging }) => this.readLossAnd(staging, 2)).then(([loss, nonFiniteGradients]) => ({ loss, nonFiniteGradients }));
  }

  async evaluate(batch: TrainingBatch): Promise<number> {
    const { staging } = await this.enqueue(() => this.call('evaluate', batch.input, batch.target));
    return (await this.readLossAnd(staging, 1))[0];
  }

  async gradients(batch: TrainingBatch): Promise<GradientResult> {
    const { staging, shape } = await this.enqueue(() => this.call('gradients', batch.input, batch.target));
    const data = await this.readAll(staging);
    const { config } = this.model;
    const P = this.ctx.layout.total;
    const trained = new Set(paramSpecs(config).filter((s) => !(this.setup.singleBias && s.kind === 'bias_hh')).map((s) => s.name));
    const grads = unpackParameters(config, this.ctx.layout, data.subarray(0, P), trained);
    const [dxLength, stateLength] = this.extras(shape);
    let at = P + 4;
    const take = (n: number) => Float64Array.from(data.subarray(at, (at += n)));
    return { loss: data[P], grads, dx: take(dxLength), dh0: take(stateLength), dc0: take(stateLength) };
  }

  async predict(input: PreparedInput): Promise<Float32Array> {
    const { staging } = await this.enqueue(() => this.call('predict', input, null));
    return this.readAll(staging);
  }

  async readParameters(): Promise<Map<string, Float64Array>> {
    const staging = await this.enqueue(async () => {
      this.checkUsable('readParameters');
      const bytes = this.ctx.layout.total * kFloat;
      const buffer = this.memory.create({ name: 'parameters readback', bytes, usage: MAP_READ | COPY_DST });
      encodeAndSubmit(this.context.device, { label: 'read parameters', dispatches: [], staging: buffer, copies: [{ source: this.ctx.params, sourceOffset: 0, destinationOffset: 0, size: bytes }] });
      return buffer;
    });
    return unpackParameters(this.model.config, this.ctx.layout, await this.readAll(staging));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const shape of this.shapes.values()) shape.destroy();
    this.shapes.clear();
    for (const buffer of this.freeStaging) buffer.destroy();
    this.freeStaging.length = 0;
    this.memory.destroy();
  }

  /** Live GPU bytes: parameters, gradients, optimizer state and cached shapes. */
  get gpuBytes(): number {
    let bytes = this.memory.bytes;
    for (const shape of this.shapes.values()) bytes += shape.memory.bytes;
    return bytes;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private checkUsable(what: string): void {
    if (this.disposed) throw new LstmError('DISPOSED', `${what}: this WebGPU training backend was disposed`);
    const lost = this.watch.error(what);
    if (lost) throw lost;
  }

  /** Encodes and submits one call; resolves once it is submitted, with the staging buffer its results go to. */
  private async call(kind: CallKind, input: PreparedInput, target: Float64Array | null): Promise<{ staging: GPUBuffer; shape: TrainShape }> {
    this.checkUsable(kind);
    const shape = await this.shapeFor(input.steps, input.batch);
    const { device } = this.context;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let staging: GPUBuffer | null = null;
    try {
      shape.writeInputs(device.queue, input, target);
      const c = shape.commands;
      const dispatches = [...this.prefix, ...c.forward, ...(kind === 'predict' ? [] : c.loss), ...(kind === 'gradients' || kind === 'step' ? c.backward : []), ...(kind === 'gradients' ? c.inputGradient : [])];
      if (kind === 'step') {
        this.stepCount += 1;
        device.queue.writeBuffer(this.optimizerUniforms.buffer, this.optimizerUniforms.offset, optimizerUniform(this.setup, this.ctx.layout.total, this.stepCount));
        dispatches.push(...this.suffix);
      }
      const copies = this.copiesFor(kind, shape);
      staging = kind === 'step' || kind === 'evaluate' ? this.lossStaging() : shape.memory.create({ name: `${kind} readback`, bytes: copies.reduce((end, c) => Math.max(end, c.destinationOffset + c.size), 0), usage: MAP_READ | COPY_DST });
      encodeAndSubmit(device, { label: `training ${kind}`, dispatches, staging, copies });
      this.lastDispatches = dispatches.length;
    } finally {
      const [validation, outOfMemory] = await popErrorScopes(device);
      const error = validation ?? outOfMemory;
      if (error) throw new LstmError('GPU_ERROR', `train: the GPU rejected the ${kind} call (T=${input.steps}, B=${input.batch}): ${error.message}`);
    }
    return { staging: staging!, shape };
  }

  /** Dispatches in the last call submitted (one command buffer, one submit). */
  lastDispatches = 0;

  private copiesFor(kind: CallKind, shape: TrainShape): CopyCommand[] {
    const b = shape.buffers;
    const loss = { source: b.loss, sourceOffset: 0, destinationOffset: 0, size: kFloat };
    // A step's non-finite gradient count (norm[1]) rides with its loss: the same 16-byte readback.
    if (kind === 'step') return [loss, { source: this.norm, sourceOffset: kFloat, destinationOffset: kFloat, size: kFloat }];
    if (kind === 'evaluate') return [loss];
    if (kind === 'predict') {
      const { buffer, rows, width } = shape.prediction;
      return [{ source: buffer, sourceOffset: 0, destinationOffset: 0, size: rows * width * kFloat }];
    }
    const P = this.ctx.layout.total;
    const [dxLength, stateLength] = this.extras(shape);
    let at = P + 4;
    const next = (source: GPUBuffer, floats: number): CopyCommand => {
      const copy = { source, sourceOffset: 0, destinationOffset: at * kFloat, size: floats * kFloat };
      at += floats;
      return copy;
    };
    return [
      { source: this.ctx.grads, sourceOffset: 0, destinationOffset: 0, size: P * kFloat },
      { source: b.loss, sourceOffset: 0, destinationOffset: P * kFloat, size: kFloat },
      next(b.dx, dxLength),
      next(b.dh0, stateLength),
      next(b.dc0, stateLength),
    ];
  }

  /** Floats of dx ([T, B, I]) and of dh0 / dc0 ([L·D, B, H]) in a gradients readback. */
  private extras(shape: TrainShape): [number, number] {
    const { config } = this.model;
    const { steps: T, batch: B } = shape;
    return [T * B * layerInputSize(config, 0), config.numLayers * directionCount(config) * B * config.hiddenSize];
  }

  private lossStaging(): GPUBuffer {
    return this.freeStaging.pop() ?? this.memory.create({ name: 'loss readback', bytes: 16, usage: MAP_READ | COPY_DST });
  }

  /** The loss readback's first `count` floats: the loss, then (for a step) the non-finite gradient count. */
  private async readLossAnd(staging: GPUBuffer, count: number): Promise<number[]> {
    await gpuWait(() => staging.mapAsync(MapMode.READ, 0, count * kFloat));
    const values = Array.from(new Float32Array(staging.getMappedRange(0, count * kFloat)));
    staging.unmap();
    if (this.disposed) staging.destroy();
    else this.freeStaging.push(staging);
    return values;
  }

  /** Maps a one-off staging buffer, copies its floats out and destroys it. */
  private async readAll(staging: GPUBuffer): Promise<Float32Array> {
    try {
      await gpuWait(() => staging.mapAsync(MapMode.READ));
      return new Float32Array(staging.getMappedRange().slice(0));
    } finally {
      staging.destroy();
    }
  }

  /**
   * The persistent kernels' batch tile is a pipeline constant: a tile per batch size compiled a
   * pipeline pair per tile (0.3–1.8 s each on SwiftShader) inside the first epoch, for its last,
   * smaller minibatch. The first shape's tile serves every later one (rows past B are masked), so
   * the pipelines are compiled once per model and a new (T, B) only makes buffers.
   */
  private samePipelines(path: RecurrencePath): RecurrencePath {
    if (path.kind !== 'sequence') return path;
    this.batchTile ??= path.batchTile;
    return { ...path, batchTile: this.batchTile };
  }
  private batchTile: BatchTile | null = null;

  private async shapeFor(T: number, B: number): Promise<TrainShape> {
    const key = `${T}x${B}`;
    const cached = this.shapes.get(key);
    if (cached) {
      this.shapes.delete(key);
      this.shapes.set(key, cached);
      return cached;
    }
    const { config } = this.model;
    checkTrainingLimits(listTrainShapeBuffers(trainShapeBuffers(config, T, B, this.ctx.stepStride)), this.context.limits, `train (T=${T}, B=${B})`);
    const { device } = this.context;
    const path = this.samePipelines(recurrencePathFor(this.context, config, B, this.setup.recurrence ?? 'auto', { spread: false }));
    const backward = path.kind === 'sequence' ? chooseBackwardPath(config.hiddenSize, path.batchTile, {
      maxComputeInvocationsPerWorkgroup: device.limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupStorageSize: device.limits.maxComputeWorkgroupStorageSize,
      software: this.context.adapter.isSoftware,
    }) : ({ kind: 'steps' } as const);
    const [recurrence, backwardSequence] = await Promise.all([
      getKernel(device, recurrenceKernel(path, true)),
      backward.kind === 'sequence' ? getKernel(device, lstmBackwardSequenceKernel(backward.threads, backward.units, backward.batchTile)) : null,
    ]);
    this.checkUsable('train');
    const kernels = { ...this.ctx.kernels, recurrence, ...(backwardSequence ? { backward_sequence: backwardSequence } : {}) };
    const shape = new TrainShape(device, { ...this.ctx, kernels }, path, backward, this.setup.loss, this.setup.singleBias, T, B);
    return cacheShape(this.shapes, key, shape);
  }
}

import type { PreparedInput } from '../core/prepared-input.js';
import { kTraceFields, type TraceEntry } from '../core/results.js';
import type { BackendResult, BackendRunner } from '../core/backend-runner.js';
import { LstmError } from '../core/errors.js';
import { directionCount } from '../model/config.js';
import { layerDirectionModel } from '../model/layer-model.js';
import type { LSTM } from '../model/lstm.js';
import type { GpuContext } from './context.js';
import { watchDevice, type DeviceWatch } from './device-lost.js';
import { inputProjectionKernel } from './kernels/input-projection.js';
import { recurrenceKernel } from './kernels/recurrence.js';
import { uploadModel, type LayerDirectionBuffers } from './model-buffers.js';
import { interleaveState } from './pack.js';
import { getKernel, type CompiledKernel } from './pipeline-cache.js';
import { chooseRecurrencePath, planForward, type RecurrencePath } from './plan.js';
import { ShapeResources } from './shape-resources.js';
import type { BufferSet } from './memory.js';
import { forwardSplit } from './split.js';
import type { PartResult, SplitHost } from './split-host.js';
import { checkWeightsFit } from './working-set.js';

export interface RunnerOptions {
  /**
   * How the recurrence runs: 'sequence' (one persistent dispatch per layer and direction; needs
   * H ≤ 256), 'steps' (one dispatch per time step), or 'auto' (default): 'sequence' where it fits.
   */
  readonly recurrence?: 'auto' | 'sequence' | 'steps';
}

interface ShapeKernels {
  readonly path: RecurrencePath;
  readonly kernels: { readonly projection: CompiledKernel; readonly recurrence: CompiledKernel };
}

function shapeKey(input: PreparedInput): string {
  return `${input.steps}x${input.batch}${input.trace ? ' traced' : ''}`;
}

/** How many (T, B, trace) working sets a runner keeps before freeing the least recently used. */
const kShapeCacheSize = 4;

/**
 * A model loaded on a GPU device: weights uploaded once in the kernels' layout, working buffers and
 * bind groups cached per shape, and each forward call encoded as one command buffer with one
 * readback. Calls are queued, so concurrent callers never share a staging buffer mid-flight. A call
 * too big for the device's limits becomes several calls (src/gpu/split.ts); a lost device makes
 * pending and later calls reject with DEVICE_LOST (src/gpu/device-lost.ts).
 */
export class GpuRunner implements BackendRunner {
  readonly kind = 'webgpu' as const;
  private readonly shapes = new Map<string, ShapeResources>();
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly watch: DeviceWatch;

  private constructor(
    private readonly context: GpuContext,
    readonly model: LSTM,
    private readonly weights: { set: BufferSet; layers: LayerDirectionBuffers[] },
    private readonly options: RunnerOptions,
  ) {
    this.watch = watchDevice(context.device);
  }

  static async create(context: GpuContext, model: LSTM, options: RunnerOptions = {}): Promise<GpuRunner> {
    const recurrence = options.recurrence ?? 'auto';
    if (!['auto', 'sequence', 'steps'].includes(recurrence)) {
      throw new LstmError('INVALID_ARGUMENT', `recurrence: expected 'auto', 'sequence' or 'steps', got ${JSON.stringify(recurrence)}`);
    }
    const lost = watchDevice(context.device).error('load');
    if (lost) throw lost;
    checkWeightsFit(model.config, context.limits);
    await getKernel(context.device, inputProjectionKernel);
    return new GpuRunner(context, model, uploadModel(context.device, model), options);
  }

  /** Bytes of GPU memory this runner holds now (weights and cached working sets). */
  get gpuBytes(): number {
    let bytes = this.weights.set.bytes;
    for (const shape of this.shapes.values()) bytes += shape.buffers.bytes;
    return bytes;
  }

  run(input: PreparedInput): Promise<BackendResult> {
    const run = this.queue.then(() => this.guarded(input));
    this.queue = run.catch(() => undefined);
    return run;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const shape of this.shapes.values()) shape.destroy();
    this.shapes.clear();
    this.weights.set.destroy();
  }

  private checkUsable(): void {
    if (this.disposed) throw new LstmError('DISPOSED', 'forward: this runner was disposed; load the model again');
    const lost = this.watch.error('forward');
    if (lost) throw lost;
  }

  /** One call, raced against device loss (so none can hang), failing only with LstmErrors. */
  private async guarded(input: PreparedInput): Promise<BackendResult> {
    try {
      return await this.watch.race(this.runChecked(input), 'forward');
    } catch (error) {
      if (error instanceof LstmError) throw error;
      if (this.disposed) throw new LstmError('DISPOSED', 'forward: this runner was disposed during the call');
      if (await this.watch.lostWithin(1000)) throw this.watch.error('forward');
      throw new LstmError('GPU_ERROR', `forward: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  private async runChecked(input: PreparedInput): Promise<BackendResult> {
    this.checkUsable();
    return forwardSplit(this.splitHost(), input);
  }

  private splitHost(): SplitHost {
    return {
      config: this.model.config,
      limits: this.context.limits,
      stepStride: this.context.device.limits.minUniformBufferOffsetAlignment,
      runWhole: (input) => this.runOne(input),
      openLayerDirection: async (layer, direction) => {
        const single = await GpuRunner.create(this.context, layerDirectionModel(this.model, layer, direction), this.options);
        return {
          run: (input) => {
            this.checkUsable();
            return single.runOne(input);
          },
          dispose: () => single.dispose(),
        };
      },
    };
  }

  /** One call of one command buffer: the shape fits the device's limits (forwardSplit saw to that). */
  private async runOne(input: PreparedInput): Promise<PartResult> {
    this.checkUsable();
    const device = this.context.device;
    // Error scopes belong to the whole device: nothing between push and pop may await, or another
    // runner's call on the same device could push and pop in between and take our errors.
    const kernels = this.shapes.has(shapeKey(input)) ? null : await this.kernelsFor(input);
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let shape: ShapeResources | undefined;
    let dispatches = 0;
    try {
      shape = this.shapeFor(input, kernels);
      this.writeInputs(shape, input);
      dispatches = this.encodeAndSubmit(shape, input);
    } finally {
      const [validation, outOfMemory] = await Promise.all([device.popErrorScope(), device.popErrorScope()]);
      const error = validation ?? outOfMemory;
      if (error) {
        // The working set may be what failed (an allocation, a bind group): never reuse it.
        if (shape) this.evict(shape);
        throw new LstmError('GPU_ERROR', `forward: the GPU rejected the work (T=${input.steps}, B=${input.batch}): ${error.message}`);
      }
    }
    const data = await this.readBack(shape);
    return this.unpack(input, shape, data, dispatches);
  }

  private evict(shape: ShapeResources): void {
    for (const [key, cached] of this.shapes) {
      if (cached === shape) this.shapes.delete(key);
    }
    shape.destroy();
  }

  /** The recurrence path for a new shape and its compiled kernels. */
  private async kernelsFor(input: PreparedInput): Promise<ShapeKernels> {
    const path = this.recurrencePath(input.batch);
    const [projection, recurrence] = await Promise.all([
      getKernel(this.context.device, inputProjectionKernel),
      getKernel(this.context.device, recurrenceKernel(path, input.trace)),
    ]);
    return { path, kernels: { projection, recurrence } };
  }

  /** The cached working set of this shape, or a new one built with `compiled` (given for new shapes). */
  private shapeFor(input: PreparedInput, compiled: ShapeKernels | null): ShapeResources {
    const key = shapeKey(input);
    const cached = this.shapes.get(key);
    if (cached) {
      this.shapes.delete(key); // re-inserted below: Map order is the LRU order
      this.shapes.set(key, cached);
      return cached;
    }
    if (!compiled) throw new LstmError('GPU_ERROR', `forward: no kernels were prepared for shape ${key}`);
    const { path, kernels } = compiled;
    const shape = new ShapeResources(this.context.device, this.model.config, this.weights.layers, kernels, path, input.steps, input.batch, input.trace);
    this.shapes.set(key, shape);
    if (this.shapes.size > kShapeCacheSize) {
      const [oldestKey, oldest] = this.shapes.entries().next().value!;
      this.shapes.delete(oldestKey);
      oldest.destroy();
    }
    return shape;
  }

  /** The persistent sequence kernel where the model fits it (unless the caller chose), else per-step dispatches. */
  private recurrencePath(batch: number): RecurrencePath {
    const { device, adapter } = this.context;
    const choice = this.options.recurrence ?? 'auto';
    const path = chooseRecurrencePath(this.model.config, batch, {
      maxComputeInvocationsPerWorkgroup: device.limits.maxComputeInvocationsPerWorkgroup,
      // A software adapter runs workgroups on CPU threads: two per core balanced best here (a
      // tile of 8 sequences with 2 workgroups on 2 cores ran 1.6× slower than a tile of 4 with 4).
      // A real GPU wants many more in flight.
      minWorkgroups: adapter.isSoftware ? 2 * (globalThis.navigator?.hardwareConcurrency ?? 2) : 64,
    });
    if (choice === 'auto' || choice === path.kind) return path;
    if (choice === 'steps') return { kind: 'steps' };
    throw new LstmError(
      'INVALID_ARGUMENT',
      `recurrence: 'sequence' needs hiddenSize ≤ ${Math.min(256, device.limits.maxComputeInvocationsPerWorkgroup)} (one workgroup holds every unit), got ${this.model.config.hiddenSize}`,
    );
  }

  private writeInputs(shape: ShapeResources, input: PreparedInput): void {
    const queue = this.context.device.queue;
    const { batch: B, steps: T } = input;
    const H = this.model.config.hiddenSize;
    queue.writeBuffer(shape.x, 0, Float32Array.from(input.x));
    queue.writeBuffer(shape.lengths, 0, input.lengths ? Uint32Array.from(input.lengths) : new Uint32Array(B).fill(T));
    shape.states.forEach((pair, ld) => {
      queue.writeBuffer(pair[0], 0, interleaveState(input.h0, input.c0, ld * B * H, B * H));
    });
  }

  /** Encodes every layer, direction and step into one command buffer and submits it once. */
  private encodeAndSubmit(shape: ShapeResources, input: PreparedInput): number {
    const device = this.context.device;
    const D = directionCount(this.model.config);
    const encoder = device.createCommandEncoder({ label: 'lstm forward' });
    const pass = encoder.beginComputePass({ label: 'lstm forward' });
    const records = planForward(this.model.config, input.steps, input.batch, shape.path);
    let current: GPUComputePipeline | null = null;
    const use = (pipeline: GPUComputePipeline) => {
      if (pipeline !== current) pass.setPipeline(pipeline);
      current = pipeline;
    };
    for (const record of records) {
      const ld = record.layer * D + record.direction;
      if (record.kernel === 'input_projection') {
        use(shape.kernels.projection.pipeline);
        pass.setBindGroup(0, shape.projectionGroups[ld]);
      } else if (record.kernel === 'lstm_sequence') {
        use(shape.kernels.recurrence.pipeline);
        pass.setBindGroup(0, shape.recurrenceGroups[ld][0]);
      } else {
        use(shape.kernels.recurrence.pipeline);
        pass.setBindGroup(0, shape.recurrenceGroups[ld][record.step % 2], [record.step * shape.stepStride]);
      }
      pass.dispatchWorkgroups(...record.workgroups);
    }
    pass.end();

    const { outputFloats, stateFloats, traceFloats } = shape.readback;
    encoder.copyBufferToBuffer(shape.finalSequence, 0, shape.staging, 0, outputFloats * 4);
    let offset = outputFloats * 4;
    for (const pair of shape.states) {
      encoder.copyBufferToBuffer(pair[shape.finalStateIndex], 0, shape.staging, offset, stateFloats * 4);
      offset += stateFloats * 4;
    }
    if (shape.trace) encoder.copyBufferToBuffer(shape.trace, 0, shape.staging, offset, shape.states.length * traceFloats * 4);
    device.queue.submit([encoder.finish()]);
    return records.length;
  }

  private async readBack(shape: ShapeResources): Promise<Float32Array> {
    try {
      await shape.staging.mapAsync(GPUMapMode.READ, 0, shape.readback.totalBytes);
    } catch (error) {
      // device.destroy() aborts the mapping a moment before device.lost resolves.
      if (!this.disposed) await this.watch.lostWithin(1000);
      this.checkUsable();
      throw new LstmError('GPU_ERROR', `forward: reading the results back failed: ${(error as Error).message}`);
    }
    const data = new Float32Array(shape.staging.getMappedRange(0, shape.readback.totalBytes).slice(0));
    shape.staging.unmap();
    return data;
  }

  private unpack(input: PreparedInput, shape: ShapeResources, data: Float32Array, dispatches: number): PartResult {
    const { outputFloats, stateFloats, traceFloats } = shape.readback;
    const layerDirections = shape.states.length;
    const hN = new Float32Array(layerDirections * stateFloats / 2);
    const cN = new Float32Array(hN.length);
    const states = data.subarray(outputFloats, outputFloats + layerDirections * stateFloats);
    for (let i = 0; i < hN.length; i++) {
      hN[i] = states[2 * i];
      cN[i] = states[2 * i + 1];
    }
    let trace: TraceEntry[] | null = null;
    if (input.trace) {
      const traceStart = outputFloats + layerDirections * stateFloats;
      const D = directionCount(this.model.config);
      const fieldSize = traceFloats / 6;
      trace = shape.states.map((_, ld) => {
        const base = traceStart + ld * traceFloats;
        const fields = Object.fromEntries(
          kTraceFields.map((field, k) => [field, data.slice(base + k * fieldSize, base + (k + 1) * fieldSize)]),
        ) as Record<(typeof kTraceFields)[number], Float32Array>;
        return { layer: Math.floor(ld / D), direction: ld % D, ...fields };
      });
    }
    return { output: data.slice(0, outputFloats), hN, cN, trace, stats: { backend: 'webgpu', dispatches, submits: 1, readbacks: 1 } };
  }
}

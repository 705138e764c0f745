import type { PreparedInput } from '../core/prepared-input.js';
import { popErrorScopes } from './gpu-wait.js';
import { cacheShape } from './shape-cache.js';
import type { BackendResult, BackendRunner } from '../core/backend-runner.js';
import { LstmError } from '../core/errors.js';
import { directionCount } from '../model/config.js';
import { layerDirectionModel } from '../model/layer-model.js';
import type { LSTM } from '../model/lstm.js';
import type { GpuContext } from './context.js';
import { watchDevice, type DeviceWatch } from './device-lost.js';
import { encodeAndSubmit } from './encode.js';
import { compileHeadKernels, uploadHead, type HeadParams } from './head.js';
import { chooseKernels, compileKernels } from './kernel-choice.js';
import type { BufferSet } from './memory.js';
import { uploadModel, type LayerDirectionBuffers } from './model-buffers.js';
import { kRecurrenceChoices, pathLabel, planRecurrence, toRunPlan, recurrencePathFor, type RecurrenceChoice } from './plan.js';
import type { RunPlan } from '../core/run-plan.js';
import { readStaging, unpackResults } from './readback.js';
import { ShapeResources } from './shape-resources.js';
import { GpuStream } from './stream/gpu-stream.js';
import { residentCall } from './io/resident-call.js';
import type { GpuForwardResult } from '../core/gpu-buffer.js';
import type { StreamOutputs } from '../core/stream.js';
import { checkWeightsFit } from './split/fit.js';
import type { PartResult, SplitHost } from './split/host.js';
import { forwardSplit } from './split/split.js';
import { checkVariantInput, kernelVariants, refuseVariants, refuseVariantSplit, withHalfWeights, type KernelVariants } from './variants.js';
import { checkWeightStorage } from './weight-storage.js';
import type { RunnerOptions } from './runner-options.js';

export type { RunnerOptions } from './runner-options.js';

/** Weights on the device: owned (uploaded by this runner, freed with it) or borrowed from a parent runner. */
interface DeviceWeights {
  readonly owned: BufferSet | null;
  readonly layers: readonly LayerDirectionBuffers[];
  readonly head: HeadParams | null; // in `owned`; null without a head and in a layer-direction runner
  /** W_hh stored as f16 (RunnerOptions.weights). */
  readonly halfWeights: boolean;
}

function shapeKey(input: Pick<PreparedInput, 'steps' | 'batch' | 'trace'>): string {
  return `${input.steps}x${input.batch}${input.trace ? ' traced' : ''}`;
}


/**
 * A model loaded on a GPU device: weights uploaded once in the kernels' layout, working buffers,
 * bind groups and commands cached per shape (src/gpu/shape-resources.ts), and each forward call
 * submitted as one command buffer (src/gpu/encode.ts) with one readback (src/gpu/readback.ts).
 * Calls are queued, so concurrent callers never share a staging buffer mid-flight. A call too big
 * for the device's limits becomes several calls (src/gpu/split/); a lost device makes pending and
 * later calls reject with DEVICE_LOST (src/gpu/device-lost.ts).
 */
export class GpuRunner implements BackendRunner {
  readonly kind = 'webgpu' as const;
  private readonly shapes = new Map<string, ShapeResources>();
  /** Per layer-direction, the runner a split over time uses, kept for later calls; it borrows our weights. */
  private readonly layerRunners = new Map<number, GpuRunner>();
  private readonly streams = new Set<GpuStream>();
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly watch: DeviceWatch;

  private constructor(
    private readonly context: GpuContext,
    private readonly model: LSTM,
    private readonly weights: DeviceWeights,
    private readonly recurrence: RecurrenceChoice,
  ) {
    this.watch = watchDevice(context.device);
  }

  static async create(context: GpuContext, model: LSTM, options: RunnerOptions = {}): Promise<GpuRunner> {
    const recurrence = options.recurrence ?? 'auto';
    if (!kRecurrenceChoices.includes(recurrence)) {
      throw new LstmError('INVALID_ARGUMENT', `recurrence: expected one of ${kRecurrenceChoices.map((c) => `'${c}'`).join(', ')}, got ${JSON.stringify(recurrence)}`);
    }
    const halfWeights = checkWeightStorage(context, options.weights);
    refuseVariants(model);
    const lost = watchDevice(context.device).error('load');
    if (lost) throw lost;
    checkWeightsFit(model.config, context.limits);
    // The kernels a first call of one sequence needs compile while the weights upload.
    const compiled = compileKernels(context.device, recurrencePathFor(context, model.config, 1, recurrence), false, withHalfWeights(kernelVariants(model.config), halfWeights));
    const { set, layers } = uploadModel(context.device, model, halfWeights);
    const head = uploadHead(context.device, set, model);
    await Promise.all([compiled, head && compileHeadKernels(context.device)]);
    return new GpuRunner(context, model, { owned: set, layers, head, halfWeights }, recurrence);
  }

  /** Bytes of GPU memory this runner holds now (weights, cached working sets, and its split runners'). */
  get gpuBytes(): number {
    let bytes = this.weights.owned?.bytes ?? 0;
    for (const shape of this.shapes.values()) bytes += shape.memory.bytes;
    for (const runner of this.layerRunners.values()) bytes += runner.gpuBytes;
    for (const stream of this.streams) bytes += stream.bytes;
    return bytes;
  }

  /** The recurrence kernel a call of `batch` sequences runs, every candidate's modelled step time, and why (src/gpu/plan.ts). */
  plan(batch: number): RunPlan {
    this.checkUsable('plan');
    return toRunPlan(planRecurrence(this.context, this.model.config, batch, this.recurrence));
  }

  run(input: PreparedInput): Promise<BackendResult> {
    return this.enqueue(() => {
      checkVariantInput(this.model.config, input.lengths);
      return forwardSplit(this.splitHost(), input);
    });
  }

  /** Calls run one at a time, in order, so concurrent callers never share a staging buffer mid-flight. */
  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => this.guarded(work));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Compiles the kernels a call of (steps, batch) runs, the ideal batch tile included, then runs one
   * call of zeros so that its working set exists and every first-use cost is paid.
   */
  async warmup(steps: number, batch: number): Promise<void> {
    this.checkUsable();
    await compileKernels(this.context.device, recurrencePathFor(this.context, this.model.config, batch, this.recurrence), false, this.variants());
    const x = new Float64Array(steps * batch * this.model.config.inputSize);
    await this.run({ steps, batch, x, h0: null, c0: null, lengths: null, trace: false });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const shape of this.shapes.values()) shape.destroy();
    this.shapes.clear();
    for (const stream of [...this.streams]) stream.dispose();
    for (const runner of this.layerRunners.values()) runner.dispose();
    this.layerRunners.clear();
    this.weights.owned?.destroy();
  }

  /** A forward call with x as a GPUBuffer and/or results left on the GPU (src/gpu/io/resident-call.ts). */
  runResident(input: PreparedInput, x: GPUBuffer | null, output: 'cpu' | 'gpu'): Promise<BackendResult | GpuForwardResult> {
    const { device, limits } = this.context;
    const host = { device, limits, config: this.model.config, shapeMaker: (i: PreparedInput) => this.shapeMaker(i), evict: (s: ShapeResources) => this.evict(s), readBack: (s: ShapeResources) => this.readBack(s) };
    return this.enqueue(() => {
      checkVariantInput(this.model.config, input.lengths);
      return residentCall(host, input, x, output);
    });
  }

  /** A stream of `batch` slots on this runner's weights and kernels (src/gpu/stream/); disposed with the runner. */
  openStream(batch: number, outputs: StreamOutputs): GpuStream {
    this.checkUsable('stream');
    const { context, recurrence, watch } = this;
    const host = { context, recurrence, watch, config: this.model.config, weights: this.weights.layers, variants: this.variants() };
    const stream = new GpuStream({ ...host, checkUsable: (what) => this.checkUsable(what), closed: (s) => this.streams.delete(s) }, batch, outputs);
    this.streams.add(stream);
    return stream;
  }

  /** What this runner's recurrence kernels are specialised for: the model's variants and the weight storage. */
  private variants(): KernelVariants {
    return withHalfWeights(kernelVariants(this.model.config), this.weights.halfWeights);
  }

  private checkUsable(what = 'forward'): void {
    if (this.disposed) throw new LstmError('DISPOSED', `${what}: this runner was disposed; load the model again`);
    const lost = this.watch.error(what);
    if (lost) throw lost;
  }

  /** One call, raced against device loss (so none can hang), failing only with LstmErrors. */
  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      this.checkUsable();
      return await this.watch.race(work(), 'forward');
    } catch (error) {
      if (error instanceof LstmError) throw error;
      if (this.disposed) throw new LstmError('DISPOSED', 'forward: this runner was disposed during the call');
      if (await this.watch.lostWithin(1000)) throw this.watch.error('forward');
      throw new LstmError('GPU_ERROR', `forward: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  private splitHost(): SplitHost {
    return {
      config: this.model.config,
      limits: this.context.limits,
      stepStride: this.context.device.limits.minUniformBufferOffsetAlignment,
      runWhole: (input) => this.runOne(input),
      openLayerDirection: async (layer, direction) => {
        refuseVariantSplit(this.model.config); // the one-layer models of a split carry no variants
        const single = this.layerRunner(layer, direction);
        return {
          run: (input) => {
            this.checkUsable();
            return single.runOne(input);
          },
        };
      },
    };
  }

  /** The cached runner of one layer-direction alone, on this runner's weight buffers (nothing is uploaded again). */
  private layerRunner(layer: number, direction: number): GpuRunner {
    const ld = layer * directionCount(this.model.config) + direction;
    let runner = this.layerRunners.get(ld);
    if (!runner) {
      const weights = { ...this.weights.layers[ld], layer: 0, direction: 0 };
      runner = new GpuRunner(this.context, layerDirectionModel(this.model, layer, direction), { owned: null, layers: [weights], head: null, halfWeights: this.weights.halfWeights }, this.recurrence);
      this.layerRunners.set(ld, runner);
    }
    return runner;
  }

  /** One call of one command buffer: the shape fits the device's limits (forwardSplit saw to that). */
  private async runOne(input: PreparedInput): Promise<PartResult> {
    this.checkUsable();
    const device = this.context.device;
    // Compiling may await; creating the shape may not (see below), so it is made a closure here.
    const makeShape = await this.shapeMaker(input);
    // Error scopes belong to the whole device: nothing between push and pop may await, or another
    // runner's call on the same device could push and pop in between and take our errors.
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let shape: ShapeResources | undefined;
    try {
      shape = makeShape();
      shape.writeInputs(device.queue, input);
      encodeAndSubmit(device, shape.commands);
    } finally {
      const [validation, outOfMemory] = await popErrorScopes(device);
      const error = validation ?? outOfMemory;
      if (error) {
        // The working set may be what failed (an allocation, a bind group): never reuse it.
        if (shape) this.evict(shape);
        throw new LstmError('GPU_ERROR', `forward: the GPU rejected the work (T=${input.steps}, B=${input.batch}): ${error.message}`);
      }
    }
    const data = await this.readBack(shape);
    const stats = { backend: 'webgpu' as const, dispatches: shape.commands.dispatches.length, submits: 1, readbacks: 1 };
    return { ...unpackResults(this.model.config, shape.readback, data), stats };
  }

  /** The cached working set of this key, now the most recently used; undefined when there is none. */
  private cachedShape(key: string): ShapeResources | undefined {
    const cached = this.shapes.get(key);
    if (cached) {
      this.shapes.delete(key); // re-inserted: Map order is the LRU order
      this.shapes.set(key, cached);
    }
    return cached;
  }

  /**
   * The kernels of the shape's path, compiled as far as a call must wait (src/gpu/kernel-choice.ts),
   * and a function that returns its cached working set or creates and caches a new one. A working
   * set made for a fallback tile is dropped once the ideal tile's is made.
   */
  private async shapeMaker(input: Pick<PreparedInput, 'steps' | 'batch' | 'trace'>): Promise<() => ShapeResources> {
    const { device } = this.context;
    const ideal = recurrencePathFor(this.context, this.model.config, input.batch, this.recurrence);
    const { path, kernels } = await chooseKernels(device, ideal, input.trace, this.variants());
    const head = this.weights.head ? await compileHeadKernels(device) : undefined;
    const key = `${shapeKey(input)} ${pathLabel(path)}`;
    const cached = this.cachedShape(key);
    if (cached) return () => cached;
    return () => {
      if (path === ideal) {
        for (const [other, shape] of this.shapes) if (other.startsWith(`${shapeKey(input)} `)) this.evict(shape);
      }
      const stride = device.limits.minUniformBufferOffsetAlignment;
      const shape = new ShapeResources(device, this.model.config, this.weights.layers, { ...kernels, head }, path, input.steps, input.batch, input.trace, stride, this.weights.head);
      return cacheShape(this.shapes, key, shape);
    };
  }

  private evict(shape: ShapeResources): void {
    for (const [key, cached] of this.shapes) {
      if (cached === shape) this.shapes.delete(key);
    }
    shape.destroy();
  }

  private async readBack(shape: ShapeResources): Promise<Float32Array> {
    try {
      return await readStaging(shape.commands.staging, shape.readback);
    } catch (error) {
      // device.destroy() aborts the mapping a moment before device.lost resolves.
      if (!this.disposed) await this.watch.lostWithin(1000);
      this.checkUsable();
      throw new LstmError('GPU_ERROR', `forward: reading the results back failed: ${(error as Error).message}`);
    }
  }
}

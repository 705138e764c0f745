import { LstmError, limitExceeded } from '../../core/errors.js';
import { popErrorScopes } from '../gpu-wait.js';
import type { BackendStream, BackendStreamResult, StreamOutputs, StreamState } from '../../core/stream.js';
import type { LstmConfig } from '../../model/config.js';
import type { GpuContext } from '../context.js';
import type { DeviceWatch } from '../device-lost.js';
import { encodeDispatches } from '../encode.js';
import { BufferUsage } from '../flags.js';
import { chooseKernels } from '../kernel-choice.js';
import type { KernelVariants } from '../variants.js';
import { BufferSet, bufferSpec } from '../memory.js';
import type { LayerDirectionBuffers } from '../model-buffers.js';
import { interleaveState } from '../pack.js';
import { pathLabel, recurrencePathFor, type RecurrenceChoice } from '../plan.js';
import { readFloats } from '../readback.js';
import { ShapeResources } from '../shape-resources.js';
import { callViolation, describeViolation } from '../split/fit.js';

const kFloat = 4;
const { STORAGE, COPY_SRC, COPY_DST, MAP_READ } = BufferUsage;
/** Working sets (one per pushed step count) a stream keeps before freeing the least recently used. */
const kStreamShapes = 3;

/** What a stream needs of the runner it was opened on (src/gpu/runner.ts). */
export interface StreamHost {
  readonly context: GpuContext;
  readonly config: LstmConfig;
  readonly weights: readonly LayerDirectionBuffers[];
  readonly recurrence: RecurrenceChoice;
  /** The runner's kernel specialisation (variants, f16 weights). */
  readonly variants: KernelVariants;
  readonly watch: DeviceWatch;
  /** Throws DISPOSED or DEVICE_LOST, naming `what`, when the runner cannot run. */
  checkUsable(what: string): void;
  /** Called once when the stream is disposed. */
  closed(stream: GpuStream): void;
}

interface StreamShape {
  readonly shape: ShapeResources;
  readonly staging: BufferSet;
  readonly stagingBuffer: GPUBuffer;
}

/**
 * A stream on the GPU. Each layer's (h, c) pairs [B, H] live in a buffer of the stream's own; a
 * push of k steps is one command buffer: copy the state in as the forward kernels' (h0, c0), run
 * the forward call of (k, B) (the runner's kernels, weights and working-set layout), copy (h_n, c_n)
 * back into the stream's buffer and the output (all k steps, or the last) into a staging buffer,
 * then one readback of the output alone. Calls run in the order they are made.
 */
export class GpuStream implements BackendStream {
  private readonly stateSet: BufferSet;
  private readonly states: GPUBuffer[];
  private readonly shapes = new Map<string, StreamShape>();
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly host: StreamHost,
    private readonly batch: number,
    private readonly outputs: StreamOutputs,
  ) {
    this.stateSet = new BufferSet(host.context.device, 'stream');
    // createBuffer zero-fills: every slot starts at zero state.
    this.states = Array.from({ length: host.config.numLayers }, (_, l) =>
      this.stateSet.create(bufferSpec(`(h, c) state l${l}`, this.stateBytes, STORAGE | COPY_SRC | COPY_DST)),
    );
  }

  /** Bytes of GPU memory the stream holds. */
  get bytes(): number {
    let bytes = this.stateSet.bytes;
    for (const entry of this.shapes.values()) bytes += entry.shape.memory.bytes + entry.staging.bytes;
    return bytes;
  }

  push(x: Float64Array, steps: number): Promise<BackendStreamResult> {
    return this.serial('stream.push', () => this.pushNow(x, steps));
  }

  reset(slot: number, h: Float64Array | null, c: Float64Array | null): Promise<void> {
    const H = this.host.config.hiddenSize;
    return this.serial('stream.reset', async () => {
      // Queued after every earlier push's submit, so it lands between that push and the next.
      this.states.forEach((buffer, l) => this.host.context.device.queue.writeBuffer(buffer, slot * H * 2 * kFloat, interleaveState(h, c, l * H, H)));
    });
  }

  state(): Promise<StreamState> {
    return this.serial('stream.state', () => this.readState());
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const entry of this.shapes.values()) destroyShape(entry);
    this.shapes.clear();
    this.stateSet.destroy();
    this.host.closed(this);
  }

  private get stateBytes(): number {
    return this.batch * this.host.config.hiddenSize * 2 * kFloat;
  }

  /** One call at a time, raced against device loss, failing only with LstmErrors. */
  private serial<T>(what: string, work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      if (this.disposed) throw new LstmError('DISPOSED', `${what}: this stream was disposed; open a new one`);
      this.host.checkUsable(what);
      const { watch } = this.host;
      try {
        return await watch.race(work(), what);
      } catch (error) {
        if (error instanceof LstmError) throw error;
        if (await watch.lostWithin(1000)) throw watch.error(what)!;
        throw new LstmError('GPU_ERROR', `${what}: ${(error as Error)?.message ?? String(error)}`);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async pushNow(x: Float64Array, steps: number): Promise<BackendStreamResult> {
    const { context, config } = this.host;
    const { device } = context;
    const [B, H, L] = [this.batch, config.hiddenSize, config.numLayers];
    const stride = device.limits.minUniformBufferOffsetAlignment;
    const violation = callViolation(config, context.limits, stride, steps, B, false);
    if (violation) throw limitExceeded(`${describeViolation(violation, 'stream.push')}; push fewer steps at a time`);
    const ideal = recurrencePathFor(context, config, B, this.host.recurrence);
    const { path, kernels } = await chooseKernels(device, ideal, false, this.host.variants);
    const key = `${steps} ${pathLabel(path)}`;
    const [offset, count] = this.outputs === 'all' ? [0, steps * B * H] : [(steps - 1) * B * H, B * H];
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let entry: StreamShape | undefined;
    try {
      entry = this.cachedShape(key) ?? this.makeShape(key, () => new ShapeResources(device, config, this.host.weights, kernels, path, steps, B, false, stride), count);
      const { shape } = entry;
      device.queue.writeBuffer(shape.buffers.x, 0, Float32Array.from(x));
      const encoder = device.createCommandEncoder({ label: 'lstm stream' });
      this.states.forEach((state, l) => encoder.copyBufferToBuffer(state, 0, shape.buffers.layerDirections[l].states[0], 0, this.stateBytes));
      encodeDispatches(encoder, 'lstm stream', shape.commands.dispatches);
      this.states.forEach((state, l) => encoder.copyBufferToBuffer(shape.finalState(l), 0, state, 0, this.stateBytes));
      encoder.copyBufferToBuffer(shape.buffers.sequences[(L - 1) % 2], offset * kFloat, entry.stagingBuffer, 0, count * kFloat);
      device.queue.submit([encoder.finish()]);
    } finally {
      const [validation, outOfMemory] = await popErrorScopes(device);
      const error = validation ?? outOfMemory;
      if (error) {
        if (entry) this.evict(key);
        throw new LstmError('GPU_ERROR', `stream.push: the GPU rejected the work (k=${steps}, B=${B}): ${error.message}`);
      }
    }
    const output = await readFloats(entry.stagingBuffer, count);
    return { output, stats: { backend: 'webgpu', dispatches: entry.shape.commands.dispatches.length, submits: 1, readbacks: 1 } };
  }

  private async readState(): Promise<StreamState> {
    const { device } = this.host.context;
    const perLayer = this.stateBytes / kFloat;
    const staging = new BufferSet(device, 'stream state readback');
    try {
      const buffer = staging.create(bufferSpec('staging', this.states.length * this.stateBytes, MAP_READ | COPY_DST));
      const encoder = device.createCommandEncoder({ label: 'lstm stream state' });
      this.states.forEach((state, l) => encoder.copyBufferToBuffer(state, 0, buffer, l * this.stateBytes, this.stateBytes));
      device.queue.submit([encoder.finish()]);
      const pairs = await readFloats(buffer, this.states.length * perLayer);
      const h = new Float32Array(pairs.length / 2);
      const c = new Float32Array(pairs.length / 2);
      for (let i = 0; i < h.length; i++) {
        h[i] = pairs[2 * i];
        c[i] = pairs[2 * i + 1];
      }
      return { h, c };
    } finally {
      staging.destroy();
    }
  }

  private cachedShape(key: string): StreamShape | undefined {
    const entry = this.shapes.get(key);
    if (entry) {
      this.shapes.delete(key); // re-inserted: Map order is the LRU order
      this.shapes.set(key, entry);
    }
    return entry;
  }

  private makeShape(key: string, create: () => ShapeResources, outputFloats: number): StreamShape {
    const shape = create();
    const { device } = this.host.context;
    // Every slot runs every pushed step.
    device.queue.writeBuffer(shape.buffers.lengths, 0, new Uint32Array(this.batch).fill(shape.steps));
    const staging = new BufferSet(device, `stream k=${shape.steps}`);
    const entry = { shape, staging, stagingBuffer: staging.create(bufferSpec('output staging', outputFloats * kFloat, MAP_READ | COPY_DST)) };
    this.shapes.set(key, entry);
    if (this.shapes.size > kStreamShapes) this.evict(this.shapes.keys().next().value!);
    return entry;
  }

  private evict(key: string): void {
    const entry = this.shapes.get(key);
    this.shapes.delete(key);
    if (entry) destroyShape(entry);
  }
}

function destroyShape(entry: StreamShape): void {
  entry.shape.destroy();
  entry.staging.destroy();
}

import { describeValue } from '../../core/describe.js';
import { invalidArgument, LstmError } from '../../core/errors.js';
import { kBarrier, kContext, kControl } from './control.js';
import { isNode, nodeBuiltin, requireSimd, wasmFeatures } from './features.js';
import { Heap } from './heap.js';
import { kKernelNames, type KernelExports, type Plan } from './kernels.js';
import { buildName, compiledModule, type BuildName } from './module.js';
import { HelperPool } from './pool.js';
import { KernelWarmUp } from './warm-up.js';

export interface WasmEngineOptions {
  /**
   * Threads a call may use, the calling thread included: an integer from 1 to 64. By default the
   * cores available, up to 8 (an LSTM step's barrier costs more than another core gains past that).
   * Threads need shared memory: always in Node, in a browser only when the page is cross-origin
   * isolated; elsewhere the engine runs one thread and `threadsReason` says why.
   */
  readonly threads?: number;
  /** The most bytes the engine's memory may grow to: at most 4 GiB (wasm32), the default. */
  readonly maxBytes?: number;
  /**
   * Whether to use relaxed SIMD's multiply-add where the JavaScript engine has it (default true).
   * `f32x4.relaxed_madd` may or may not round between the multiply and the add, as the CPU does it,
   * so its results can differ in the last bit from one machine to another; false takes the plain
   * SIMD build (a rounded product, then a sum), whose results are the same everywhere.
   */
  readonly relaxedSimd?: boolean;
}

const kMaxThreads = 64;
const kDefaultThreadCap = 8;
const kWasm32Bytes = 65536 * 65536;
const kScratchBytes = 512;
/** Polls before an idle helper sleeps (≈ 0.1–0.3 ms): back-to-back calls then wake no one. */
const kIdleSpins = 200_000;
/** Polls at a barrier before a thread sleeps (a step of a recurrence takes microseconds). */
const kBarrierSpins = 100_000;

async function availableCores(): Promise<number> {
  if (isNode()) return nodeBuiltin<typeof import('node:os')>('node:os').availableParallelism();
  return globalThis.navigator?.hardwareConcurrency ?? 1;
}

function checkThreads(threads: unknown): number | undefined {
  if (threads === undefined) return undefined;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > kMaxThreads) {
    throw invalidArgument(`threads: expected an integer from 1 to ${kMaxThreads}, got ${describeValue(threads)}`);
  }
  return threads;
}

function checkMaxBytes(maxBytes: unknown): number {
  if (maxBytes === undefined) return kWasm32Bytes;
  if (typeof maxBytes !== 'number' || !Number.isInteger(maxBytes) || maxBytes < 1 << 20 || maxBytes > kWasm32Bytes) {
    throw invalidArgument(`maxBytes: expected an integer from 1 MiB to 4 GiB (${kWasm32Bytes}), got ${describeValue(maxBytes)}`);
  }
  return maxBytes;
}

/** The kernels whose shared calls take their blocks from the work queue (threads.ts: takeWork). */
const kQueueKernels: ReadonlySet<string> = new Set(['gemm', 'lstmForward', 'lstmBackward']);

/**
 * The work queue is cleared at a plan's start and at every barrier, so two shared calls that take
 * from it need a barrier between them; a plan without one would skip work silently, so it is refused.
 */
function checkWorkQueue(plan: Plan): void {
  let taken = false;
  for (const call of plan) {
    if (call.kernel === 'barrier') taken = false;
    else if (!call.solo && kQueueKernels.has(call.kernel)) {
      if (taken) throw new Error(`wasm engine: two shared calls take from the work queue with no barrier between them (the second is ${call.kernel})`);
      taken = true;
    }
  }
}

function checkRelaxedSimd(relaxedSimd: unknown): boolean {
  if (relaxedSimd === undefined) return true;
  if (typeof relaxedSimd !== 'boolean') throw invalidArgument(`relaxedSimd: expected true or false, got ${describeValue(relaxedSimd)}`);
  return relaxedSimd;
}

/** Whether this thread may sleep in Atomics.wait (a page's main thread may not). */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The float32 WebAssembly engine: the module (the build this JavaScript engine runs best), its
 * linear memory and heap, and its helper threads. It runs plans — lists of kernel calls
 * (kernels.ts) — synchronously on the calling thread, which takes part 0 while the helpers take the
 * others. One engine serves every model of a backend; calls never overlap (JavaScript runs one at a
 * time on the calling thread).
 */
export class WasmEngine {
  private disposed = false;

  private constructor(
    readonly build: BuildName,
    readonly threads: number,
    /** Why `threads` threads, in words. */
    readonly threadsReason: string,
    readonly heap: Heap,
    private readonly exports: KernelExports,
    private readonly pool: HelperPool | null,
    private readonly layout: { control: number; contexts: number; solo: number; barrier: number },
    /** Whether the calling thread may sleep in Atomics.wait (not a page's main thread): else it spins at every barrier. */
    readonly canBlock: boolean,
  ) {}

  static async create(options: WasmEngineOptions = {}): Promise<WasmEngine> {
    const requested = checkThreads(options.threads);
    const maxBytes = checkMaxBytes(options.maxBytes);
    const relaxedSimd = checkRelaxedSimd(options.relaxedSimd);
    const features = wasmFeatures();
    requireSimd(features);
    const cores = await availableCores();
    let threads = requested ?? Math.max(1, Math.min(cores, kDefaultThreadCap));
    let threadsReason = requested ? `${requested} requested` : `${threads} of ${cores} cores, the default taking up to ${kDefaultThreadCap}`;
    if (threads > 1 && features.threadsUnavailable) {
      threadsReason = `1 thread: ${features.threadsUnavailable}`;
      threads = 1;
    }
    const shared = threads > 1;
    const build = buildName(features.relaxedSimd && relaxedSimd, shared);
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, ...(shared ? { shared: true } : {}) });
    const module = await compiledModule(build);
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const heap = new Heap(memory, maxBytes);
    const layout = {
      control: heap.alloc(kControl.slots * 4, 'the control block'),
      barrier: heap.alloc(kBarrier.bytes, 'the barrier'),
      contexts: heap.alloc((threads + 1) * kContext.bytes, 'the thread contexts'),
      solo: 0,
    };
    layout.solo = layout.contexts + threads * kContext.bytes;
    const scratch = heap.alloc((threads + 1) * kScratchBytes, 'the threads’ scratch');
    const ints = new Int32Array(memory.buffer);
    const canBlock = shared && mayBlock();
    for (let part = 0; part <= threads; part++) {
      const context = (layout.contexts + part * kContext.bytes) >> 2;
      const solo = part === threads;
      ints[context + kContext.part] = solo ? 0 : part;
      ints[context + kContext.parts] = solo ? 1 : threads;
      ints[context + kContext.barrier] = layout.barrier;
      ints[context + kContext.scratch] = scratch + part * kScratchBytes;
      ints[context + kContext.canBlock] = part === 0 ? Number(canBlock) : 1;
      ints[context + kContext.spins] = kBarrierSpins;
    }
    const control = layout.control >> 2;
    ints[control + kControl.contextAt] = layout.contexts;
    ints[control + kControl.contextStride] = kContext.bytes;
    ints[control + kControl.barrierAt] = layout.barrier;
    ints[control + kControl.idleSpins] = kIdleSpins;
    const exports = instance.exports as unknown as KernelExports;
    // The kernels' optimizing compile runs while the helpers start (warm-up.ts says why it is waited for).
    const warmUp = KernelWarmUp.start(module, exports, heap, layout.solo);
    const pool = shared ? await HelperPool.start(threads - 1, module, memory, layout.control, kKernelNames) : null;
    await warmUp?.finish();
    return new WasmEngine(build, threads, threadsReason, heap, exports, pool, layout, canBlock);
  }

  get memory(): WebAssembly.Memory {
    return this.heap.memory;
  }

  /** A float32 view of `length` floats at byte `at` (take it after the call's last allocation). */
  floats(at: number, length: number): Float32Array {
    return new Float32Array(this.heap.memory.buffer, at, length);
  }

  ints(at: number, length: number): Int32Array {
    return new Int32Array(this.heap.memory.buffer, at, length);
  }

  /** The register-only multiply-add probe (the roofline's peak): `rounds` × 96 FLOPs on this thread. */
  fmaProbe(rounds: number): number {
    return this.exports.fmaProbe(rounds);
  }

  /** Runs every call of the plan on every thread (solo calls on this one), in order; throws if a kernel trapped. */
  run(plan: Plan): void {
    if (this.disposed) throw new LstmError('DISPOSED', 'wasm backend: it was disposed; create a backend and load the model again');
    // A plan of solo calls (with barriers and fills, which one thread does whole) wakes no helper.
    if (!this.pool || plan.every((call) => call.solo || call.kernel === 'barrier' || call.kernel === 'fill')) return this.runAlone(plan);
    let failure: unknown = null;
    const context0 = this.layout.contexts;
    if (this.pool) {
      this.writePlan(plan);
      Atomics.store(this.ints(this.layout.barrier, kBarrier.bytes / 4), kBarrier.queue, 0); // threads.ts: the work queue starts at 0
      this.pool.release();
    }
    try {
      for (const call of plan) this.exports[call.kernel](...call.args, call.solo ? this.layout.solo : context0);
    } catch (error) {
      failure = error;
      if (this.pool) this.abortBarrier();
    }
    const helperFailed = this.pool ? this.pool.join(this.canBlock) : false;
    if (failure || helperFailed) {
      if (this.pool) this.resetBarrier();
      throw new Error(`wasm engine: a kernel failed (${failure ? (failure as Error).message : 'in a helper thread'})`);
    }
  }

  /** Every call on this thread's single-thread context, barriers skipped (one thread waits for no one); the helpers go on sleeping. */
  private runAlone(plan: Plan): void {
    try {
      for (const call of plan) if (call.kernel !== 'barrier') this.exports[call.kernel](...call.args, this.layout.solo);
    } catch (error) {
      throw new Error(`wasm engine: a kernel failed (${(error as Error).message})`);
    }
  }

  private planAt = 0;
  private planCapacity = 0;

  /** Encodes the plan for the helpers: per call [kernel index, argument count, solo, …arguments], float64s. */
  private writePlan(plan: Plan): void {
    checkWorkQueue(plan);
    const length = plan.reduce((sum, call) => sum + 3 + call.args.length, 0);
    if (length > this.planCapacity) {
      this.heap.release(this.planAt);
      this.planCapacity = Math.max(length, 2 * this.planCapacity, 512);
      this.planAt = this.heap.alloc(this.planCapacity * 8, 'the plan');
    }
    const out = new Float64Array(this.heap.memory.buffer, this.planAt, length);
    let i = 0;
    for (const call of plan) {
      out[i++] = kKernelNames.indexOf(call.kernel);
      out[i++] = call.args.length;
      out[i++] = call.solo ? 1 : 0;
      for (const arg of call.args) out[i++] = arg;
    }
    const control = this.ints(this.layout.control, kControl.slots);
    control[kControl.planAt] = this.planAt;
    control[kControl.planLength] = length;
  }

  private abortBarrier(): void {
    const barrier = this.ints(this.layout.barrier, kBarrier.bytes / 4);
    Atomics.store(barrier, kBarrier.abort, 1);
    Atomics.add(barrier, kBarrier.generation, 1);
    Atomics.notify(barrier, kBarrier.generation);
  }

  private resetBarrier(): void {
    const barrier = this.ints(this.layout.barrier, kBarrier.bytes / 4);
    Atomics.store(barrier, kBarrier.count, 0);
    Atomics.store(barrier, kBarrier.queue, 0);
    Atomics.store(barrier, kBarrier.abort, 0);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pool?.stop();
  }
}

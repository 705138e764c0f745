import type { Heap } from './heap.js';
import type { KernelCall, KernelExports } from './kernels.js';

// Why an engine warms its kernels up before its first call: V8 first runs a module's functions in
// its baseline compiler (Liftoff), which ran these SIMD kernels 50–80× slower than its optimizing
// tier (TurboFan) here — a 64³ gemm took 969 µs against 17 µs in Node 20 — and it cannot swap code
// inside a running call. A function is recompiled once it has run enough, in the background
// (lstmForward took 19–41 ms to compile on this 2-core machine). Without a warm-up a model's first
// forward ran 3–4× its later ones (the first call of a (1, 100, 32, 128) forward: 7.1 ms against
// 1.7 ms).
//
// So the first engine of a compiled module (module.ts keeps one per build per process, and its code
// is shared by every instance and thread) runs every kernel on a small problem when it starts, and
// then, while its helper threads start, polls each kernel until its time has fallen to a quarter of
// its first call's, with short sleeps that leave the core to the compiler, or until kMaxWaitMs have
// passed (a JavaScript engine whose tiers differ less just costs that wait once per module). Later
// engines of the module start warm.

/** A kernel counts as optimized once a call takes at most this share of its first call's time. */
const kTieredShare = 0.25;
/** The longest an engine's start waits for its kernels' optimizing tier, in ms. */
const kMaxWaitMs = 250;
/** Sleep between polls, in ms. */
const kPollMs = 2;
/**
 * Where each operand of the warm-up problems starts, in floats from the block's start: x (also the
 * backward's zeros), the weights, G (also dz), the state, the output (also dy), h_n, c_n, the
 * carry, the one zeroed block every trace field points at, the trace block itself, the end.
 */
const kAt = { x: 0, w: 6144, g: 10240, state: 16384, out: 17408, hN: 19456, cN: 19712, carry: 19968, traced: 20224, trace: 21760, end: 22528 };

/**
 * The warm-up problems, sized so that each takes tens of microseconds in the optimizing tier (well
 * above a page's 5–100 µs timer resolution at a quarter of its baseline time): T = 16 steps of B = 3
 * rows (a row pair and a single row) and 32 steps of B = 1 at H = 32, and a 96 × 64 × 64 gemm.
 */
function problems(at: number): KernelCall[] {
  const f = (floats: number) => at + floats * 4;
  const T = 16, B = 3, H = 32, n = 64, columns = 4 * H;
  const [x, w, g, state, out, hN, cN, carry, trace] = [kAt.x, kAt.w, kAt.g, kAt.state, kAt.out, kAt.hN, kAt.cN, kAt.carry, kAt.trace].map(f);
  return [
    { kernel: 'gemm', args: [96, n, n, x, n, w, 64, n * 64, g, n, 0, 0], solo: true },
    { kernel: 'lstmForward', args: [T, B, H, H, g, w, 0, 0, 0, 0, 0, state, out, H, 0, hN, cN, 0, 0], solo: true },
    // A lone row runs its quads two at a time on a tile of its own (tile1x32), which B = 3 never reaches.
    { kernel: 'lstmForward', args: [2 * T, 1, H, H, g, w, 0, 0, 0, 0, 0, state, out, H, 0, hN, cN, 0, 0], solo: true },
    { kernel: 'lstmBackward', args: [T, B, H, w, 0, 0, trace, out, H, 0, 0, 0, g, columns, carry, hN, cN, x], solo: true },
    { kernel: 'transpose', args: [96, n, x, n, g, 96], solo: true },
  ];
}

/** The compiled modules whose kernels were warmed up already in this process. */
const warmed = new WeakSet<WebAssembly.Module>();

/** A started warm-up: every kernel has run once; `finish` waits for their optimizing tier. */
export class KernelWarmUp {
  private constructor(
    private readonly exports: KernelExports,
    private readonly heap: Heap,
    private readonly at: number,
    private readonly calls: readonly KernelCall[],
    private readonly context: number,
    private readonly firstMs: readonly number[],
  ) {}

  /**
   * Runs each kernel once on zeros (`context`: a single-thread context block), which starts its
   * optimizing compile; null where this module was warmed up before.
   */
  static start(module: WebAssembly.Module, exports: KernelExports, heap: Heap, context: number): KernelWarmUp | null {
    if (warmed.has(module)) return null;
    warmed.add(module);
    const at = heap.alloc(kAt.end * 4, 'the warm-up');
    new Float32Array(heap.memory.buffer, at, kAt.end).fill(0);
    const trace = (at >> 2) + kAt.trace;
    new Int32Array(heap.memory.buffer).fill(at + kAt.traced * 4, trace, trace + 8); // every trace field at one zeroed block
    const calls = problems(at);
    return new KernelWarmUp(exports, heap, at, calls, context, calls.map((call) => timeCall(exports, call, context)));
  }

  private time(index: number): number {
    return timeCall(this.exports, this.calls[index], this.context);
  }

  /** Polls the kernels until each runs in its optimizing tier (or kMaxWaitMs), then frees the problems. Returns the ms it waited. */
  async finish(): Promise<number> {
    const start = performance.now();
    let pending = this.calls.map((_, index) => index);
    while (pending.length > 0 && performance.now() - start < kMaxWaitMs) {
      await new Promise((resolve) => setTimeout(resolve, kPollMs));
      // The faster of two calls: a single one can be slowed by an interrupt or a collection.
      pending = pending.filter((index) => Math.min(this.time(index), this.time(index)) > kTieredShare * this.firstMs[index]);
    }
    this.heap.release(this.at);
    return performance.now() - start;
  }
}

/** How long one call takes, in ms. */
function timeCall(exports: KernelExports, call: KernelCall, context: number): number {
  const start = performance.now();
  exports[call.kernel](...call.args, context);
  return performance.now() - start;
}

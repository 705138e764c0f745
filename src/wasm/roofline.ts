import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';
import { WasmEngine, type WasmEngineOptions } from './engine/engine.js';

/**
 * The wasm engine's roofline on this CPU: what its own kernels could reach at best, so a benchmark
 * can say what fraction of it an LSTM call reaches.
 */
export interface WasmRoofline {
  /** The build measured: 'simd', 'simdShared', 'relaxed' or 'relaxedShared'. */
  readonly build: string;
  /** Threads of the engine (the GEMM runs on all of them). */
  readonly threads: number;
  /**
   * Register-only f32x4 multiply-adds (12 independent chains, no memory) on one thread, GFLOP/s,
   * a multiply-add counting 2: the peak of one core. Best of `repeats`.
   */
  readonly fmaGflopsPerThread: number;
  /** fmaGflopsPerThread × threads: the peak of a call on every thread. */
  readonly fmaGflops: number;
  /**
   * The yardstick: the engine's GEMM kernel (the register tile the LSTM runs on) on a square
   * size × size product with a row-major B, on every thread. GFLOP/s, best of `repeats`.
   */
  readonly gemm: { readonly size: number; readonly gflops: number };
}

export interface WasmRooflineOptions extends WasmEngineOptions {
  /** Milliseconds each FMA measurement should last (default 100; 1 to 10 000). */
  readonly targetMs?: number;
  /** The GEMM's size n of n × n · n × n (default 512; 16 to 4096). */
  readonly gemmSize?: number;
  /** Measurements of each, of which the best counts (default 3; 1 to 50). */
  readonly repeats?: number;
}

function integerIn(name: string, value: unknown, low: number, high: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
    throw invalidArgument(`${name}: expected an integer from ${low} to ${high}, got ${describeValue(value)}`);
  }
  return value;
}

/** One probe call's FLOPs per round: 12 chains × 4 lanes × 2 (fmaProbe in src/wasm/assembly/probe.ts). */
const kFlopsPerRound = 96;

/**
 * Measures the wasm engine's peak and its GEMM yardstick on an engine of its own (started and
 * disposed here). Takes about repeats × (targetMs + the GEMM's time).
 *
 * @throws LstmError INVALID_ARGUMENT naming the option out of range; BACKEND_UNAVAILABLE without SIMD.
 */
export async function measureWasmRoofline(options: WasmRooflineOptions = {}): Promise<WasmRoofline> {
  const targetMs = integerIn('targetMs', options.targetMs, 1, 10_000, 100);
  const size = integerIn('gemmSize', options.gemmSize, 16, 4096, 512);
  const repeats = integerIn('repeats', options.repeats, 1, 50, 3);
  const engine = await WasmEngine.create(options);
  try {
    const fmaGflopsPerThread = bestFma(engine, targetMs, repeats);
    const gemm = { size, gflops: bestGemm(engine, size, repeats) };
    return { build: engine.build, threads: engine.threads, fmaGflopsPerThread, fmaGflops: fmaGflopsPerThread * engine.threads, gemm };
  } finally {
    engine.dispose();
  }
}

function bestFma(engine: WasmEngine, targetMs: number, repeats: number): number {
  // Grow the round count until one call lasts the target (the clock's grain is then negligible).
  let rounds = 1 << 16;
  let ms = 0;
  for (;;) {
    ms = timeMs(() => engine.fmaProbe(rounds));
    if (ms >= targetMs || rounds >= 2 ** 30) break;
    rounds = Math.min(2 ** 30, Math.ceil(rounds * Math.min(16, Math.max(2, (1.2 * targetMs) / Math.max(ms, 0.01)))));
  }
  let best = ms;
  for (let k = 1; k < repeats; k++) best = Math.min(best, timeMs(() => engine.fmaProbe(rounds)));
  return (rounds * kFlopsPerRound) / best / 1e6;
}

function bestGemm(engine: WasmEngine, n: number, repeats: number): number {
  // B row-major with 16 floats of slack after it: the kernel reads its last panel 16 columns wide.
  const bytes = n * n * 4;
  const a = engine.heap.alloc(bytes, 'the roofline GEMM’s A');
  const b = engine.heap.alloc(bytes + 64, 'the roofline GEMM’s B');
  const c = engine.heap.alloc(bytes, 'the roofline GEMM’s C');
  try {
    const values = engine.floats(a, n * n);
    for (let k = 0; k < values.length; k++) values[k] = ((k * 7919) % 2001) / 1000 - 1;
    engine.floats(b, n * n + 16).set(values);
    // C = A · B: lda, ldc in floats; B's rows N·4 bytes apart, its 16-column panels 64 bytes apart.
    const plan = [{ kernel: 'gemm' as const, args: [n, n, n, a, n, b, n * 4, 64, c, n, 0, 0] }];
    engine.run(plan); // warm: the first touch of the pages
    let best = Infinity;
    for (let k = 0; k < repeats; k++) best = Math.min(best, timeMs(() => engine.run(plan)));
    return (2 * n * n * n) / best / 1e6;
  } finally {
    engine.heap.release(c);
    engine.heap.release(b);
    engine.heap.release(a);
  }
}

function timeMs(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

/**
 * How the threads of a call share a recurrence (src/wasm/assembly/lstm-forward.ts): each its own
 * batch rows (no barrier between steps), each its own units of every step (a barrier after each
 * step, as every unit reads all of h_{t−1}), or one thread alone where a step is too small to
 * share. Measured on 2 cores (docs/wasm.md): a barrier costs about 0.3 µs, a step of B·4H·R
 * multiply-adds about 0.05 ns each.
 */
export type RecurrenceSplit = 'rows' | 'units' | 'solo';

/** Below this many multiply-adds a step (≈ 1 µs) a barrier per step costs more than a second core gains. */
const kMinSharedStep = 16_384;
/**
 * Below this many multiply-adds a step (≈ 6 µs) the forward's threads do not share its units: with
 * one barrier per step the call is only as fast as the slowest thread, and beside another busy
 * process (Chromium's ort/wasm threads spin) 2 threads ran (1, 100, 32, 128) in 6.50 ms against
 * 1.41 ms on one, (1, 1000, 16, 64) in 14.2 against 3.68 ms (docs/wasm.md, the quiet run).
 */
const kMinUnitSplitStep = 262_144;
/** Rows each thread needs before BPTT's threads take whole rows (two register tiles' worth). */
const kMinRowsEach = 4;
/**
 * The same for the forward, whose threads share a step's units below it. Measured on 2 threads in
 * one Node process, interleaved (2026-12-07, a loaded 2-core machine): sharing units took 0.89–0.97×
 * the time of sharing rows at B = 8, 16 and 24 (H = 128), and the same at B = 16, H = 256; rows
 * matched units from B = 32. Sharing rows, each thread reads all of W_hh every step for few rows.
 */
const kMinRowsEachForward = 16;

/**
 * How a call's threads share its recurrence. `steps` (default: many) is the call's length: a call
 * of fewer than kMinSharedCall multiply-adds in all runs on one thread whatever its split, since
 * waking the helpers once costs more than they save.
 */
export function recurrenceSplit(threads: number, batch: number, hidden: number, width: number, projected: boolean, callerCanSleep = true, steps = Infinity): RecurrenceSplit {
  if (threads <= 1) return 'solo';
  const work = batch * 4 * hidden * width;
  if (steps * work < kMinSharedCall) return 'solo';
  if (batch >= kMinRowsEachForward * threads) return 'rows';
  if (work < kMinSharedStep) return 'solo';
  // Sharing units needs R = H (no projection) and at least a quad of units per thread, and a
  // caller that may sleep: on a page's main thread every step's barrier spins, and in Chromium on
  // 2 cores that ran 4–9× slower than one thread alone (docs/wasm.md).
  if (!projected && callerCanSleep && work >= kMinUnitSplitStep && Math.ceil(hidden / 4) >= threads) return 'units';
  return batch >= threads ? 'rows' : 'solo';
}

/**
 * Below this many multiply-adds (≈ 0.1 ms on one thread) a product, or a whole recurrence, runs on
 * one thread: a helper's wake-up and the wait for it cost 0.05 ms on a quiet machine and up to
 * 1 ms beside another busy process, and in the quiet bench of 2026-12-07 every B = 1 forward and
 * the (32, 12, 1, 50) training step ran slower on 2 threads than on 1 with a 64 K threshold
 * (BENCHMARKS.md: (1, 100, 32, 128) in Node 2.67 against 1.58 ms).
 */
const kMinSharedCall = 4_194_304;
/**
 * The same where the caller may not sleep (a page's main thread): waking helpers that sleep in
 * Atomics.wait and spinning until they finish cost Chromium about 1–2 ms a call on 2 cores
 * (docs/wasm.md), so only products of about a millisecond's work or more are shared there.
 */
const kMinSharedProductAwake = 16_777_216;

export function productIsSolo(threads: number, rows: number, columns: number, inner: number, callerCanSleep = true): boolean {
  const least = callerCanSleep ? kMinSharedCall : kMinSharedProductAwake;
  return threads <= 1 || rows < 2 * threads || rows * columns * inner < least;
}

/**
 * Whether a copy of `floats` floats (a transpose) runs on one thread: below kMinSharedCall, as a
 * product does, so that a small training step's plan wakes no helper at all (its transposes were
 * shared, and its step on 2 threads took twice one thread's time in the 2026-12-07 bench).
 */
export function copyIsSolo(threads: number, floats: number): boolean {
  return threads <= 1 || floats < kMinSharedCall;
}

/**
 * The same choice for BPTT's reverse recurrence (src/wasm/assembly/lstm-backward.ts), whose
 * threads share units in panels of 16 (the columns of W_hhᵀ dz), not quads.
 */
export function backwardSplit(threads: number, batch: number, hidden: number, callerCanSleep = true, steps = Infinity): RecurrenceSplit {
  if (threads <= 1) return 'solo';
  if (steps * batch * 4 * hidden * hidden < kMinSharedCall) return 'solo';
  if (batch >= kMinRowsEach * threads) return 'rows';
  if (batch * 4 * hidden * hidden < kMinSharedStep) return 'solo';
  if (callerCanSleep && Math.ceil(hidden / 16) >= threads) return 'units';
  return batch >= threads ? 'rows' : 'solo';
}

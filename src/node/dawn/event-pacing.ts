/**
 * Paces Dawn's event polling in Node on a software adapter.
 *
 * While a promise of Dawn's Node bindings is pending (mapAsync, onSubmittedWorkDone, …), the
 * bindings process events on every turn of the event loop: each tick reschedules itself with
 * `setImmediate`, so the main thread spins a whole core until the GPU work is done. On a real GPU
 * that costs a host core; on a software adapter (SwiftShader), whose "GPU" is the CPU's cores, it
 * takes one of them from the work itself. Measured on 2 cores: one backward dispatch of
 * (64, 100, 32, 128) took 459–501 ms with the spin and 297–300 ms paced, the same as Chromium,
 * whose renderer does not spin.
 *
 * Pacing: Dawn's ticks (the bindings' anonymous native callback) pass straight through for the
 * first kSpinMs of a stretch of back-to-back ticks, so short waits keep their latency; after that
 * each tick waits kPacedDelayMs on a timer instead. Every other `setImmediate` caller is passed
 * through untouched, and only while one of the library's own GPU waits is pending (gpuWait):
 * importing or using the library leaves the process's `setImmediate` as it was.
 */

import { setGpuWaitScope, type GpuWaitScope } from '../../gpu/gpu-wait.js';

/** How long a stretch of back-to-back ticks spins before it is paced, in ms. */
const kSpinMs = 2;
/** The timer delay of a paced tick, in ms. */
const kPacedDelayMs = 1;
/** What Function.prototype.toString gives for a native function without a name. */
const kNativeSource = 'function () { [native code] }';

/** Whether `callback` is Dawn's event-processing tick: an anonymous native function. */
function isDawnTick(callback: unknown): boolean {
  return typeof callback === 'function' && callback.name === '' && Function.prototype.toString.call(callback) === kNativeSource;
}

/** The process's own setImmediate, taken when the first wait starts; null while no wait is pending. */
let original: typeof setImmediate | null = null;
/** The paced setImmediate put in its place; null while no wait is pending. */
let paced: typeof setImmediate | null = null;
/** Library waits pending now. */
let waits = 0;

/**
 * The pacing, for one stretch of library waits: a `setImmediate` that passes every callback but
 * Dawn's ticks straight through, and paces those.
 */
function pacedImmediate(immediate: typeof setImmediate): typeof setImmediate {
  // A tick scheduled from inside a tick continues a stretch; one scheduled from anywhere else (a
  // new pending promise) starts one.
  let inTick = false;
  let stretchStart = 0;
  const paced = ((callback: (...args: unknown[]) => void, ...args: unknown[]) => {
    if (!isDawnTick(callback)) return immediate(callback, ...args);
    const now = performance.now();
    if (!inTick) stretchStart = now;
    const tick = () => {
      inTick = true;
      try {
        callback(...args);
      } finally {
        inTick = false;
      }
    };
    return now - stretchStart < kSpinMs ? immediate(tick) : setTimeout(tick, kPacedDelayMs);
  }) as typeof setImmediate;
  // Node's setImmediate carries util.promisify's custom form; keep it.
  return Object.assign(paced, immediate);
}

/**
 * The wait scope (src/gpu/gpu-wait.ts) that paces Dawn's ticks while, and only while, one of the
 * library's own waits is pending: the first wait puts the paced `setImmediate` on globalThis
 * (Dawn's bindings look it up on every tick), the last one to end puts the process's own back. No
 * library wait pending, nothing in the process is changed; during one, every callback but Dawn's
 * passes through untouched.
 */
export const kDawnPacing: GpuWaitScope = {
  enter() {
    if (waits++ > 0) return;
    original = globalThis.setImmediate;
    paced = pacedImmediate(original);
    globalThis.setImmediate = paced;
  },
  exit() {
    if (--waits > 0 || !original) return;
    // A setImmediate someone else installed meanwhile stays theirs.
    if (globalThis.setImmediate === paced) globalThis.setImmediate = original;
    original = paced = null;
  },
};

/** Paces Dawn's ticks during the library's waits from now on (see kDawnPacing). Idempotent. */
export function paceDawnEvents(): void {
  setGpuWaitScope(kDawnPacing);
}

/**
 * The control block the calling thread and the helper threads share, in linear memory: Int32 slots
 * (the helpers read the same offsets in worker-main.ts, which cannot import them: its source text
 * is the worker).
 */
export const kControl = Object.freeze({
  /** Bumped by the caller for each plan; helpers wait on it. */
  job: 0,
  /** Helpers that finished the current plan. */
  done: 1,
  /** 1 tells helpers to exit. */
  stop: 2,
  /** 1 when a helper's kernel threw during the current plan. */
  failed: 3,
  /** The plan's byte address and its length in float64s. */
  planAt: 4,
  planLength: 5,
  /** The first thread context block (threads.ts) and the byte distance between blocks. */
  contextAt: 6,
  contextStride: 7,
  /** The barrier block's address: helpers raise its abort word when a kernel throws. */
  barrierAt: 8,
  /** How many polls an idle helper makes before it sleeps. */
  idleSpins: 9,
  slots: 16,
});

/** Offsets inside the barrier block (threads.ts): counter, generation, sleepers, abort, work queue, 64 bytes apart. */
export const kBarrier = Object.freeze({ count: 0, generation: 16, sleepers: 32, abort: 48, queue: 64, bytes: 320 });

/** The thread context block (threads.ts), as Int32 slots. */
export const kContext = Object.freeze({ part: 0, parts: 1, barrier: 2, scratch: 3, canBlock: 4, spins: 5, bytes: 64 });

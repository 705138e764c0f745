// How the threads of one call share work and wait for each other.
//
// Every kernel takes `ctx`, its thread's context block in linear memory (the host writes one per
// thread: src/wasm/engine/contexts.ts mirrors this layout):
//
//   ctx + 0   i32  part      this thread's index, 0 ≤ part < parts
//   ctx + 4   i32  parts     how many threads run the call
//   ctx + 8   u32  barrier   the shared barrier block's address
//   ctx + 12  u32  scratch   this thread's scratch (the register tile's 128 bytes, and more)
//   ctx + 16  i32  canBlock  1 where the thread may sleep in atomic.wait (not a page's main thread)
//   ctx + 20  i32  spins     how many polls before a waiting thread sleeps
//
// The barrier block holds a counter, a generation, a count of sleepers, an abort word and a work
// queue, each on its own 64-byte cache line so that arriving threads do not evict the line the
// others poll. A thread whose kernel threw raises abort (src/wasm/engine/worker-main.ts): the others
// then trap out of the barrier instead of waiting for it forever.
//
// The work queue is a counter the threads of a shared product take blocks from (takeWork), so a
// thread the system deschedules does less of the work instead of holding up the call: on a loaded
// 2-core machine a fixed half per thread left the second thread gaining nothing. It is zero at a
// plan's start (the host clears it) and after every barrier (the last thread to arrive clears it),
// so one kernel between two barriers may use it: the host checks its plans for that (engine.ts).

export const CTX_PART: usize = 0;
export const CTX_PARTS: usize = 4;
export const CTX_BARRIER: usize = 8;
export const CTX_SCRATCH: usize = 12;
export const CTX_CAN_BLOCK: usize = 16;
export const CTX_SPINS: usize = 20;

const BARRIER_COUNT: usize = 0;
const BARRIER_GENERATION: usize = 64;
const BARRIER_SLEEPERS: usize = 128;
const BARRIER_ABORT: usize = 192;
const BARRIER_QUEUE: usize = 256;

@inline
export function partOf(ctx: usize): i32 {
  return load<i32>(ctx, CTX_PART);
}

@inline
export function partsOf(ctx: usize): i32 {
  return load<i32>(ctx, CTX_PARTS);
}

@inline
export function scratchOf(ctx: usize): usize {
  return <usize>load<u32>(ctx, CTX_SCRATCH);
}

/** The first of this thread's items when `total` items are dealt out in contiguous, balanced runs. */
@inline
export function shareBegin(total: i32, ctx: usize): i32 {
  return <i32>((<i64>total * partOf(ctx)) / partsOf(ctx));
}

/** One past the last of this thread's items (see shareBegin). */
@inline
export function shareEnd(total: i32, ctx: usize): i32 {
  return <i32>((<i64>total * (partOf(ctx) + 1)) / partsOf(ctx));
}

/**
 * Returns once every thread of the call has arrived. The last to arrive resets the counter and
 * bumps the generation; the others poll the generation (a few microseconds at most between the
 * steps of a recurrence), then sleep in atomic.wait where they may.
 */
export function barrier(ctx: usize): void {
  const parts = partsOf(ctx);
  if (parts <= 1) return;
  if (!ASC_FEATURE_THREADS) unreachable(); // the unshared builds run one thread
  else waitForAll(ctx, parts);
}

function waitForAll(ctx: usize, parts: i32): void {
  const block = <usize>load<u32>(ctx, CTX_BARRIER);
  const generation = atomic.load<i32>(block + BARRIER_GENERATION);
  if (atomic.add<i32>(block + BARRIER_COUNT, 1) == parts - 1) {
    atomic.store<i32>(block + BARRIER_COUNT, 0);
    atomic.store<i32>(block + BARRIER_QUEUE, 0);
    atomic.add<i32>(block + BARRIER_GENERATION, 1);
    if (atomic.load<i32>(block + BARRIER_SLEEPERS) > 0) atomic.notify(block + BARRIER_GENERATION, parts);
    return;
  }
  const spins = load<i32>(ctx, CTX_SPINS);
  for (let i = 0; i < spins; i++) {
    if (atomic.load<i32>(block + BARRIER_GENERATION) != generation) return checkAbort(block);
  }
  if (load<i32>(ctx, CTX_CAN_BLOCK) == 0) {
    while (atomic.load<i32>(block + BARRIER_GENERATION) == generation) {}
    return checkAbort(block);
  }
  atomic.add<i32>(block + BARRIER_SLEEPERS, 1);
  while (atomic.load<i32>(block + BARRIER_GENERATION) == generation) {
    atomic.wait<i32>(block + BARRIER_GENERATION, generation, -1);
  }
  atomic.sub<i32>(block + BARRIER_SLEEPERS, 1);
  checkAbort(block);
}

/**
 * The block of a shared kernel's work this thread does after block `previous` (−1 to start): blocks
 * 0, 1, 2, … are dealt out first come, first served across the call's threads, and a result ≥ the
 * block count means all are taken. One thread alone takes them in order.
 */
export function takeWork(ctx: usize, previous: i32): i32 {
  if (partsOf(ctx) <= 1) return previous + 1;
  if (!ASC_FEATURE_THREADS) return unreachable(); // the unshared builds run one thread
  else return atomic.add<i32>(<usize>load<u32>(ctx, CTX_BARRIER) + BARRIER_QUEUE, 1);
}

/** Traps when another thread's kernel threw: the generation moved for that, not for a barrier. */
@inline
function checkAbort(block: usize): void {
  if (atomic.load<i32>(block + BARRIER_ABORT) != 0) unreachable();
}

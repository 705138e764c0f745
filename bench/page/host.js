// The steps of the bench protocol (bench/lib/protocol.mjs) on one side: the page for the in-browser
// backends, Node for the Dawn rows. Each keeps its own copy of the cell's workload (made from the
// same seeds) and its open backends; every timed region is one whole call measured here with
// performance.now().
import { kReferenceId } from './backend-ids.js';
import { maxAbsDiff } from './layout.js';
import { kCheckSteps, kLossTolerance, kWarmUpMs, kWarmUpSteps } from './train-settings.js';
import { makeWorkload } from './workload.js';

/** Runs `fn` and returns its result with the milliseconds it took. @template T @param {() => Promise<T>} fn */
async function timed(fn) {
  const start = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - start };
}

/**
 * The untimed warm-up steps after the check steps (kWarmUpSteps in all, each taken only while the
 * last step's time still fits in kWarmUpMs); how many were taken and what they took.
 * @param {import('./backends/index.js').BenchTrainer} trainer @param {number} lastMs the last check step's time
 */
async function warmUpSteps(trainer, lastMs) {
  let steps = 0;
  let ms = 0;
  while (kCheckSteps + steps < kWarmUpSteps && ms + lastMs <= kWarmUpMs) {
    ({ ms: lastMs } = await timed(() => trainer.run()));
    ms += lastMs;
    steps += 1;
  }
  return { steps, ms };
}

/** @param {unknown} error */
function describe(error) {
  return error instanceof Error ? error.message : String(error);
}

/** Largest |a − b| / |b| over the losses; NaN or a missing loss gives Infinity. @param {number[]} losses @param {number[]} reference */
function maxRelativeDiff(losses, reference) {
  let max = 0;
  reference.forEach((r, k) => {
    const d = Math.abs(losses[k] - r) / Math.abs(r);
    if (!(d <= max)) max = Number.isNaN(d) ? Infinity : d;
  });
  return max;
}

/**
 * @typedef {import('./backends/index.js').BenchRunner} BenchRunner
 * @typedef {import('./backends/index.js').BenchTrainer} BenchTrainer
 * @typedef {import('./workload.js').Task} Task
 * @typedef {{ forward: Record<string, import('./backends/index.js').Opener<BenchRunner>>, train: Record<string, import('./backends/index.js').Opener<BenchTrainer>> }} Openers
 */

/**
 * @param {any} lib the library's API (the served dist/ in the page, dist/index.js in Node)
 * @param {Openers} openers the backends this side opens; forward's must include the reference
 * @param {{ threads: number }} options
 */
export function createBenchHost(lib, openers, options) {
  /** @type {import('./workload.js').Workload|null} */
  let workload = null;
  /** The reference's output (forward) or its first losses (training). @type {ArrayLike<number>|null} */
  let reference = null;
  /** @type {Map<string, BenchRunner | BenchTrainer>} */
  const runners = new Map();

  function releaseAll() {
    for (const runner of runners.values()) runner.dispose();
    runners.clear();
    workload = null;
    reference = null;
  }

  /**
   * Opens a forward backend, runs it once (time to first result: opening included; first call: the
   * run alone) and checks its output against the reference.
   */
  async function openForward(id, work) {
    if (!reference) throw new Error('bench.open: no reference output');
    const start = performance.now();
    const runner = await openers.forward[id](lib, work, options);
    runners.set(id, runner);
    const opened = performance.now();
    const result = await runner.run();
    const end = performance.now();
    return { ok: true, first_result_ms: end - start, first_call_ms: end - opened, max_abs_err: maxAbsDiff(runner.timeMajor(result), reference), stats: runner.stats(result) };
  }

  /**
   * Opens a trainer and takes the check steps: the first (model build, compilation, first step)
   * is its time to first result, the others are warm steps. The reference's losses become the
   * reference; any other's are compared with them.
   */
  async function openTrain(id, work) {
    const start = performance.now();
    const trainer = await openers.train[id](lib, work, options);
    runners.set(id, trainer);
    const losses = [await trainer.run()];
    const firstResultMs = performance.now() - start;
    const warm = [];
    while (losses.length < kCheckSteps) {
      const { result, ms } = await timed(() => trainer.run());
      losses.push(result);
      warm.push(ms);
    }
    if (id === kReferenceId) reference = losses;
    if (!reference) throw new Error('bench.open: no reference losses');
    const maxRelErr = maxRelativeDiff(losses, Array.from(reference));
    const warmUp = maxRelErr <= kLossTolerance ? await warmUpSteps(trainer, warm.at(-1) ?? 0) : { steps: 0, ms: 0 };
    return { ok: true, first_result_ms: firstResultMs, warm_times_ms: warm, warm_up_steps: warmUp.steps, warm_up_ms: warmUp.ms, losses, max_rel_err: maxRelErr };
  }

  return {
    /**
     * Makes the cell's workload. For a forward cell, also computes the reference output on
     * webgpu-lstm's CPU backend (float64); a training cell's reference is its first open.
     * @param {{ shape: import('./workload.js').Shape, task: Task }} cell
     */
    async prepare({ shape, task }) {
      releaseAll();
      workload = makeWorkload(lib, shape, task);
      if (task === 'train') return { first_result_ms: null, stats: null };
      const work = workload;
      const { result: runner, ms: loadMs } = await timed(() => openers.forward[kReferenceId](lib, work, options));
      const { result, ms } = await timed(() => runner.run());
      runners.set(kReferenceId, runner);
      reference = runner.timeMajor(result);
      return { first_result_ms: loadMs + ms, first_call_ms: ms, stats: runner.stats(result) };
    },

    /** The reference losses, measured on the other side (Node gets the page's). @param {number[]} losses */
    setReferenceLosses(losses) {
      reference = losses;
    },

    /** Opens one backend and takes its warm-up: one call (forward) or the check steps (training). @param {string} id */
    async open(id) {
      const work = workload;
      if (!work) throw new Error('bench.open: no cell prepared');
      try {
        return await (work.task === 'train' ? openTrain(id, work) : openForward(id, work));
      } catch (error) {
        runners.get(id)?.dispose();
        runners.delete(id);
        return { ok: false, error: describe(error) };
      }
    },

    /** One timed run of an opened backend; milliseconds, or an error message. @param {string} id */
    async time(id) {
      const runner = runners.get(id);
      if (!runner) throw new Error(`bench.time: ${id} is not open`);
      try {
        await runner.activate?.();
        const { ms } = await timed(() => runner.run());
        return { ok: true, ms };
      } catch (error) {
        return { ok: false, error: describe(error) };
      }
    },

    /** Frees one backend's model (a backend that stops early need not hold memory). @param {string} id */
    close(id) {
      runners.get(id)?.dispose();
      runners.delete(id);
    },

    release: releaseAll,
  };
}

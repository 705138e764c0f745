// The bench page: `window.bench` is what the Node runner drives, one call per step of the protocol.
// Every timed region is one whole forward call measured here with performance.now().
// @ts-expect-error the bench server serves the built library (dist/) at /lib/; its types are the source's.
import * as served from '/lib/index.js';
import { kBackendOpeners } from './backends/index.js';
import { ortThreads } from './backends/ort.js';
import { kReferenceId } from './backend-ids.js';
import { maxAbsDiff } from './layout.js';
import { measureFmaAgain, measureRoofline } from './roofline/roofline.js';
import { makeWorkload } from './workload.js';

/** @type {typeof import('../../src/index.js')} */
const lib = served;

/** @type {{ threads: number }} */
const options = { threads: 1 };
/** @type {import('./workload.js').Workload|null} */
let workload = null;
/** @type {ArrayLike<number>|null} */
let reference = null;
/** @type {Map<string, import('./backends/index.js').BenchRunner>} */
const runners = new Map();

/** Runs `fn` and returns its result with the milliseconds it took. */
async function timed(fn) {
  const start = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - start };
}

function releaseAll() {
  for (const runner of runners.values()) runner.dispose();
  runners.clear();
  workload = null;
  reference = null;
}

function describe(error) {
  return error instanceof Error ? error.message : String(error);
}

/** The page's protocol: one method per step the Node runner takes (bench/lib/protocol.mjs). */
export const bench = {
  /** Sets the thread count of the wasm peers and reports the environment. */
  async environment(config) {
    options.threads = config.threads;
    const backend = await lib.createBackend({ prefer: 'webgpu' });
    const adapter = backend.adapter;
    backend.dispose();
    return {
      adapter,
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated: self.crossOriginIsolated,
    };
  },

  roofline: (config) => measureRoofline(lib, config),

  fmaPeak: (config) => measureFmaAgain(config),

  /** Makes the cell's model and input and computes the reference output on webgpu-lstm's CPU backend. */
  async prepare(shape) {
    releaseAll();
    workload = makeWorkload(lib, shape);
    const { result: runner, ms: loadMs } = await timed(() => kBackendOpeners[kReferenceId](lib, workload, options));
    const { result, ms } = await timed(() => runner.run());
    runners.set(kReferenceId, runner);
    reference = runner.timeMajor(result);
    return { first_result_ms: loadMs + ms, stats: runner.stats(result) };
  },

  /** Loads one backend, runs it once (time to first result) and checks its output against the reference. */
  async open(id) {
    if (!workload || !reference) throw new Error('bench.open: no cell prepared');
    const start = performance.now();
    let runner;
    try {
      runner = await kBackendOpeners[id](lib, workload, options);
      const result = await runner.run();
      const firstResultMs = performance.now() - start;
      runners.set(id, runner);
      return { ok: true, first_result_ms: firstResultMs, max_abs_err: maxAbsDiff(runner.timeMajor(result), reference), stats: runner.stats(result) };
    } catch (error) {
      runner?.dispose();
      return { ok: false, error: describe(error) };
    }
  },

  /** One timed run of an opened backend; milliseconds, or an error message. */
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

  /** Frees one backend's model (a backend that stops early need not hold memory). */
  close(id) {
    runners.get(id)?.dispose();
    runners.delete(id);
  },

  release: releaseAll,

  /** Threads the wasm peers actually use, as they report it (null for one not started). */
  wasmThreads() {
    const tf = /** @type {any} */ (window).tf;
    let tfjs = null;
    try {
      tfjs = tf.wasm.getThreadsCount();
    } catch {
      // the tfjs wasm backend was not started in this run
    }
    return { 'tfjs/wasm': tfjs, 'ort/wasm': ortThreads() };
  },
};
window.bench = bench;
window.benchReady = true;

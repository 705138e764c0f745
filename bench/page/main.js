// The bench page: `window.bench` is what the Node runner drives, one call per step of the protocol
// (bench/page/host.js), plus what only the page measures: its environment and the roofline.
// @ts-expect-error the bench server serves the built library (dist/) at /lib/; its types are the source's.
import * as served from '/lib/index.js';
import { kBackendOpeners, kTrainerOpeners } from './backends/index.js';
import { ortThreads } from './backends/ort.js';
import { forecastTfjs } from './forecast-tfjs.js';
import { createBenchHost } from './host.js';
import { measureFmaAgain, measureRoofline } from './roofline/roofline.js';

/** @type {typeof import('../../src/index.js')} */
const lib = served;

/** @type {{ threads: number }} */
const options = { threads: 1 };

export const bench = {
  ...createBenchHost(lib, { forward: kBackendOpeners, train: kTrainerOpeners }, options),

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

  /** The wasm engine's roofline on this page's thread(s) (src/wasm/roofline.ts). */
  wasmRoofline: (config) => lib.measureWasmRoofline(config),

  /** The forecast recipe in TensorFlow.js (bench/forecast-wall.mjs). */
  forecastTfjs,

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

// Every library and backend the page can time, by id, for each task. The Dawn rows are opened in
// Node instead (bench/lib/node-host.mjs), through the same webgpu-lstm openers.
import { openOrt } from './ort.js';
import { openTfjs, openTfjsTrainer } from './tfjs.js';
import { openWebgpuLstm, openWebgpuLstmTrainer } from './webgpu-lstm.js';

/**
 * What the page needs of a backend for the forward bench. Only `run` is timed.
 * @typedef {object} BenchRunner
 * @property {() => Promise<unknown>} [activate] untimed preparation before each run
 * @property {() => Promise<any>} run one forward: upload of x, compute, readback of the full output
 * @property {(result: any) => ArrayLike<number>} timeMajor the output as [T, B, D·H] (untimed)
 * @property {(result: any) => object|null} stats dispatches and submits, where the library reports them
 * @property {() => void} dispose
 */

/**
 * What the page needs of a backend for the training bench. Only `run` is timed.
 * @typedef {object} BenchTrainer
 * @property {() => Promise<unknown>} [activate] untimed preparation before each run
 * @property {() => Promise<number>} run one training step on the whole batch; resolves to its loss, read back
 * @property {() => void} dispose
 */

/**
 * @template R
 * @typedef {(lib: any, workload: import('../workload.js').Workload, options: { threads: number }) => Promise<R>} Opener
 */

/** @param {any} lib @param {'webgpu'|'wasm'|'cpu'} prefer @param {number} [threads] the wasm engine's */
const libraryBackend = (lib, prefer, threads) => () => lib.createBackend({ prefer, ...(threads ? { threads } : {}) });

/** @type {Record<string, Opener<BenchRunner>>} */
export const kBackendOpeners = {
  'webgpu-lstm/webgpu': (lib, workload) => openWebgpuLstm(workload, libraryBackend(lib, 'webgpu')),
  'webgpu-lstm/wasm': (lib, workload, options) => openWebgpuLstm(workload, libraryBackend(lib, 'wasm', options.threads)),
  'webgpu-lstm/wasm-1t': (lib, workload) => openWebgpuLstm(workload, libraryBackend(lib, 'wasm', 1)),
  'webgpu-lstm/cpu': (lib, workload) => openWebgpuLstm(workload, libraryBackend(lib, 'cpu')),
  'tfjs/webgpu': (lib, workload, options) => openTfjs(lib, workload, 'webgpu', options),
  'tfjs/wasm': (lib, workload, options) => openTfjs(lib, workload, 'wasm', options),
  'tfjs/cpu': (lib, workload, options) => openTfjs(lib, workload, 'cpu', options),
  'ort/webgpu': (lib, workload, options) => openOrt(lib, workload, 'webgpu', options),
  'ort/wasm': (lib, workload, options) => openOrt(lib, workload, 'wasm', options),
};

/** @type {Record<string, Opener<BenchTrainer>>} */
export const kTrainerOpeners = {
  'webgpu-lstm/webgpu': (lib, workload) => openWebgpuLstmTrainer(workload, libraryBackend(lib, 'webgpu')),
  'webgpu-lstm/wasm': (lib, workload, options) => openWebgpuLstmTrainer(workload, libraryBackend(lib, 'wasm', options.threads)),
  'webgpu-lstm/wasm-1t': (lib, workload) => openWebgpuLstmTrainer(workload, libraryBackend(lib, 'wasm', 1)),
  'webgpu-lstm/cpu': (lib, workload) => openWebgpuLstmTrainer(workload, libraryBackend(lib, 'cpu')),
  'tfjs/webgpu': (lib, workload, options) => openTfjsTrainer(lib, workload, 'webgpu', options),
  'tfjs/wasm': (lib, workload, options) => openTfjsTrainer(lib, workload, 'wasm', options),
  'tfjs/cpu': (lib, workload, options) => openTfjsTrainer(lib, workload, 'cpu', options),
};

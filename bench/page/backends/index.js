// Every library and backend the bench can time, by id.
import { openOrt } from './ort.js';
import { openTfjs } from './tfjs.js';
import { openWebgpuLstm } from './webgpu-lstm.js';

/**
 * What the page needs of a backend. Only `run` is timed.
 * @typedef {object} BenchRunner
 * @property {() => Promise<unknown>} [activate] untimed preparation before each run
 * @property {() => Promise<any>} run one forward: upload of x, compute, readback of the full output
 * @property {(result: any) => ArrayLike<number>} timeMajor the output as [T, B, D·H] (untimed)
 * @property {(result: any) => object|null} stats dispatches and submits, where the library reports them
 * @property {() => void} dispose
 */

/** @type {Record<string, (lib: any, workload: any, options: { threads: number }) => Promise<BenchRunner>>} */
export const kBackendOpeners = {
  'webgpu-lstm/webgpu': (lib, workload) => openWebgpuLstm(lib, workload, 'webgpu'),
  'webgpu-lstm/cpu': (lib, workload) => openWebgpuLstm(lib, workload, 'cpu'),
  'tfjs/webgpu': (lib, workload, options) => openTfjs(lib, workload, 'webgpu', options),
  'tfjs/wasm': (lib, workload, options) => openTfjs(lib, workload, 'wasm', options),
  'tfjs/cpu': (lib, workload, options) => openTfjs(lib, workload, 'cpu', options),
  'ort/webgpu': (lib, workload, options) => openOrt(lib, workload, 'webgpu', options),
  'ort/wasm': (lib, workload, options) => openOrt(lib, workload, 'wasm', options),
};

// From timed runs to the figures the bench reports: one row per backend × shape.
import { loadDist } from './dist.mjs';
import { taskFlops } from './grid.mjs';

/** The backend every speed-up is stated for. */
export const kSubject = 'webgpu-lstm/webgpu';

// Medians as benchmark() takes them (the library's summarizeTimes): one protocol, one definition.
const { lib } = await loadDist();

/**
 * The row of latest.json. A forward backend over budget reports its one time (the first result)
 * as its min, median and max, a training one its warm check steps; a mismatched or failed one
 * reports no time. `median_ms` is one forward call, or one training step when task is 'train'.
 * @param {import('./grid.mjs').Shape} shape
 * @param {import('./protocol.mjs').Cell} cell
 * @param {'forward' | 'train'} [task]
 */
export function makeRow(shape, cell, task = 'forward') {
  const times = cell.status === 'over budget' && cell.times_ms.length === 0 && cell.first_result_ms !== null ? [cell.first_result_ms] : cell.times_ms;
  const timed = (cell.status === 'ok' || cell.status === 'over budget') && times.length > 0;
  const summary = timed ? lib.summarizeTimes(times) : null;
  const medianMs = summary?.medianMs ?? null;
  const gflops = medianMs ? taskFlops(shape, task) / medianMs / 1e6 : null;
  return {
    task,
    backend: cell.backend,
    B: shape.batch,
    T: shape.steps,
    I: shape.inputSize,
    H: shape.hiddenSize,
    layers: shape.layers,
    bidirectional: shape.bidirectional,
    status: cell.status,
    median_ms: medianMs,
    min_ms: summary?.minMs ?? null,
    max_ms: summary?.maxMs ?? null,
    gflops,
    max_abs_err_vs_cpu: cell.max_abs_err_vs_cpu,
    reps: cell.times_ms.length,
    times_ms: cell.times_ms,
    first_result_ms: cell.first_result_ms,
    first_call_ms: cell.first_call_ms ?? null,
    seq_steps_per_s: medianMs ? (shape.batch * shape.steps) / (medianMs / 1000) : null,
    samples_per_s: medianMs ? shape.batch / (medianMs / 1000) : null,
    losses: cell.losses,
    max_rel_loss_err_vs_cpu: cell.max_rel_loss_err_vs_cpu,
    pct_fma_peak: /** @type {number|null} */ (null),
    pct_gemm: /** @type {number|null} */ (null),
    speedup_of_webgpu_lstm: /** @type {number|null} */ (null),
    dispatches: cell.stats?.dispatches ?? null,
    submits: cell.stats?.submits ?? null,
    note: cell.note,
    error: cell.error,
  };
}

/**
 * The rows on the wasm engine's hardware: WebAssembly SIMD on the CPU (ours and the peers'), in the
 * page or in Node. Their peak is the wasm roofline's, not the adapter's.
 * @param {string} backend
 */
export function wasmSide(backend) {
  if (!/\/wasm/.test(backend)) return null;
  return backend.includes('wasm-node') ? 'node' : 'page';
}

/** Threads a wasm row ran on: one for the -1t rows, the run's count otherwise. @param {string} backend @param {number} threads */
export function rowThreads(backend, threads) {
  return backend.endsWith('-1t') ? 1 : threads;
}

/**
 * Fills each row's GFLOP/s as a fraction of the peak of what it ran on and of the matching GEMM
 * yardstick: a GPU row's are the adapter's; a wasm row's are the wasm roofline's (its per-thread
 * FMA peak × the threads the row ran on, and the GEMM on all threads) on its side (page or Node).
 * CPU rows in plain JavaScript or native code get neither.
 * @param {ReturnType<typeof makeRow>[]} rows
 * @param {{ fmaGflops: number|null, gemmGflops: number|null,
 *   wasm?: { page: import('../../src/index.js').WasmRoofline | null, node: import('../../src/index.js').WasmRoofline | null } | null, threads?: number }} peaks
 */
export function applyPeaks(rows, peaks) {
  for (const row of rows) {
    const side = wasmSide(row.backend);
    if (side) {
      const roofline = peaks.wasm?.[side] ?? null;
      const threads = rowThreads(row.backend, peaks.threads ?? 1);
      row.pct_fma_peak = row.gflops && roofline ? row.gflops / (roofline.fmaGflopsPerThread * threads) : null;
      row.pct_gemm = row.gflops && roofline ? row.gflops / roofline.gemm.gflops : null;
    } else if (/\/cpu$/.test(row.backend)) {
      row.pct_fma_peak = row.pct_gemm = null;
    } else {
      row.pct_fma_peak = row.gflops && peaks.fmaGflops ? row.gflops / peaks.fmaGflops : null;
      row.pct_gemm = row.gflops && peaks.gemmGflops ? row.gflops / peaks.gemmGflops : null;
    }
  }
  return rows;
}

/** @typedef {{ B: number, T: number, I: number, H: number, layers: number, bidirectional: boolean, task?: 'forward' | 'train' }} RowShape */

/** Same shape and task (a row without a task is a forward one)? @param {RowShape} a @param {RowShape} b */
export function sameShape(a, b) {
  const sameTask = (a.task ?? 'forward') === (b.task ?? 'forward');
  return sameTask && a.B === b.B && a.T === b.T && a.I === b.I && a.H === b.H && a.layers === b.layers && a.bidirectional === b.bidirectional;
}

/**
 * A row's median when it may be compared: timed within budget and matching the reference, or a
 * training row over budget (timed by its warm check steps, which are whole steps like any other;
 * a forward row over budget has only its first result, compilation included).
 */
export function comparableMedian(row) {
  const timed = row && (row.status === 'ok' || (row.task === 'train' && row.status === 'over budget'));
  return timed && row.median_ms ? row.median_ms : null;
}

/**
 * Fills each row's speedup_of_webgpu_lstm: how many times faster webgpu-lstm on WebGPU ran than
 * that row's backend, on the same shape in the same run (row median / webgpu-lstm median).
 * @param {ReturnType<typeof makeRow>[]} rows
 */
export function addSpeedups(rows) {
  for (const row of rows) {
    const subject = rows.find((r) => r.backend === kSubject && sameShape(r, row));
    const ours = comparableMedian(subject);
    const theirs = row.status === 'ok' || row.status === 'over budget' ? row.median_ms : null;
    row.speedup_of_webgpu_lstm = ours && theirs ? theirs / ours : null;
  }
  return rows;
}

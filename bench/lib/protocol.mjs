// The protocol for one shape: reference first, then each backend's warm-up (time to first result)
// and cross-check, then timed runs interleaved across backends, each within its budget.
import { kReferenceId } from '../page/backend-ids.js';
import { formatError, formatMs } from './format.mjs';

/** A peer whose output differs from the reference by more than this computes something else. */
export const kMismatchTolerance = 1e-3;

/**
 * What one backend did on one shape.
 * @typedef {{
 *   backend: string, status: 'ok'|'over budget'|'mismatch'|'error', note: string|null, error: string|null,
 *   first_result_ms: number|null, times_ms: number[], max_abs_err_vs_cpu: number|null,
 *   stats: { dispatches: number, submits: number } | null
 * }} Cell
 */

/** @param {string} backend @returns {Cell} */
function newCell(backend) {
  return { backend, status: 'ok', note: null, error: null, first_result_ms: null, times_ms: [], max_abs_err_vs_cpu: null, stats: null };
}

/** Calls a method of `window.bench` in the page. @param {import('puppeteer-core').Page} page */
function pageCaller(page) {
  return (method, arg) => page.evaluate((m, a) => window.bench[m](a), method, arg);
}

/** Records a backend's warm-up: its time to first result and how far its output is from the reference. */
function recordWarmup(cell, reply, budgetMs) {
  if (!reply.ok) {
    Object.assign(cell, { status: 'error', error: reply.error });
    return;
  }
  Object.assign(cell, { first_result_ms: reply.first_result_ms, max_abs_err_vs_cpu: reply.max_abs_err, stats: reply.stats ?? null });
  if (!(reply.max_abs_err <= kMismatchTolerance)) {
    Object.assign(cell, { status: 'mismatch', note: `output differs from the CPU reference by ${formatError(reply.max_abs_err)}: not timed` });
  } else if (reply.first_result_ms > budgetMs) {
    Object.assign(cell, { status: 'over budget', note: `the first result alone took ${formatMs(reply.first_result_ms)}, over the ${formatMs(budgetMs)} budget` });
  }
}

/**
 * @param {import('puppeteer-core').Page} page
 * @param {import('./grid.mjs').Shape} shape
 * @param {{ backends: string[], reps: number, budgetMs: number }} options
 * @param {(line: string) => void} log
 * @returns {Promise<Cell[]>} one per backend of options.backends, in that order
 */
export async function runShape(page, shape, options, log) {
  const call = pageCaller(page);
  const cells = new Map(options.backends.map((id) => [id, newCell(id)]));
  try {
    const reference = await call('prepare', shape);
    log(`  reference (webgpu-lstm/cpu, float64): ${formatMs(reference.first_result_ms)}`);
    for (const [id, cell] of cells) {
      const reply = id === kReferenceId ? { ok: true, first_result_ms: reference.first_result_ms, max_abs_err: 0, stats: reference.stats } : await call('open', id);
      recordWarmup(cell, reply, options.budgetMs);
      log(`  ${id.padEnd(20)} ${cell.error ? `error: ${cell.error}` : `first result ${formatMs(cell.first_result_ms)}, max |err| ${formatError(cell.max_abs_err_vs_cpu)}`}`);
      if (cell.status !== 'ok' && id !== kReferenceId) await call('close', id);
    }
    await timeInterleaved(call, [...cells.values()].filter((c) => c.status === 'ok'), options, log);
  } finally {
    await call('release');
  }
  return [...cells.values()];
}

/**
 * Round r times every backend still running once, starting one further along the list each round
 * so no backend always runs right after the same neighbour. A backend stops when its next run would
 * take it past its budget (it always gets one timed run), or when a run fails.
 */
async function timeInterleaved(call, cells, options, log) {
  let active = cells;
  for (let round = 0; round < options.reps && active.length > 0; round++) {
    const order = active.map((_, i) => active[(i + round) % active.length]);
    const timedThisRound = [];
    for (const cell of order) {
      const spent = cell.first_result_ms + cell.times_ms.reduce((a, b) => a + b, 0);
      const last = cell.times_ms.at(-1) ?? 0;
      if (cell.times_ms.length > 0 && spent + last > options.budgetMs) {
        cell.note = `budget of ${formatMs(options.budgetMs)} allowed ${cell.times_ms.length} of ${options.reps} timed runs`;
        active = active.filter((c) => c !== cell);
        continue;
      }
      const reply = await call('time', cell.backend);
      if (reply.ok) {
        cell.times_ms.push(reply.ms);
        timedThisRound.push(`${cell.backend} ${formatMs(reply.ms)}`);
      } else {
        Object.assign(cell, { status: 'error', error: reply.error });
        active = active.filter((c) => c !== cell);
      }
    }
    if (timedThisRound.length) log(`  round ${round + 1}/${options.reps}: ${timedThisRound.join(', ')}`);
  }
}

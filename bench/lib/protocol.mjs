// The protocol for one shape and task: reference first, then each backend's warm-up (time to first
// result) and cross-check, then timed runs interleaved across backends, each within its budget.
// The page runs the in-browser backends, Node the Dawn rows (bench/lib/node-host.mjs); both sides
// take the same steps (bench/page/host.js).
import { kNodeBackendIds, kReferenceId } from '../page/backend-ids.js';
import { kCheckSteps, kLossTolerance, kWarmUpMs, kWarmUpSteps } from '../page/train-settings.js';
import { loadDist } from './dist.mjs';
import { formatError, formatMs } from './format.mjs';

/** A peer whose output differs from the reference by more than this computes something else. */
export const kMismatchTolerance = 1e-3;
export { kCheckSteps, kLossTolerance, kWarmUpMs, kWarmUpSteps };

/**
 * What one backend did on one shape. `warmup_ms` is what its warm-up took (the first result, plus
 * the warm check steps when training); it counts against the budget.
 * @typedef {{
 *   backend: string, status: 'ok'|'over budget'|'mismatch'|'error', note: string|null, error: string|null,
 *   first_result_ms: number|null, first_call_ms: number|null, warmup_ms: number, times_ms: number[], max_abs_err_vs_cpu: number|null,
 *   losses: number[]|null, max_rel_loss_err_vs_cpu: number|null, warm_up_steps?: number,
 *   stats: { dispatches: number, submits: number } | null
 * }} Cell
 */

/** @param {string} backend @returns {Cell} */
function newCell(backend) {
  return { backend, status: 'ok', note: null, error: null, first_result_ms: null, first_call_ms: null, warmup_ms: 0, times_ms: [], max_abs_err_vs_cpu: null, losses: null, max_rel_loss_err_vs_cpu: null, stats: null };
}

/** @typedef {(method: string, arg?: any) => Promise<any>} Caller */

/** Calls a method of `window.bench` in the page. @param {import('puppeteer-core').Page} page @returns {Caller} */
export function pageCaller(page) {
  return (method, arg) => page.evaluate((m, a) => /** @type {any} */ (window.bench)[m](a), method, arg);
}

/** Calls a method of a host in this process. @param {Record<string, (arg?: any) => any>} host @returns {Caller} */
export function nodeCaller(host) {
  return async (method, arg) => host[method](arg);
}

/**
 * Records a forward backend's warm-up: its time to first result and how far its output is from
 * the reference.
 */
function recordForwardWarmup(cell, reply, budgetMs) {
  Object.assign(cell, { first_result_ms: reply.first_result_ms, first_call_ms: reply.first_call_ms ?? null, warmup_ms: reply.first_result_ms, max_abs_err_vs_cpu: reply.max_abs_err, stats: reply.stats ?? null });
  if (!(reply.max_abs_err <= kMismatchTolerance)) {
    Object.assign(cell, { status: 'mismatch', note: `output differs from the CPU reference by ${formatError(reply.max_abs_err)}: not timed` });
  } else if (reply.first_result_ms > budgetMs) {
    Object.assign(cell, { status: 'over budget', note: `the first result alone took ${formatMs(reply.first_result_ms)}, over the ${formatMs(budgetMs)} budget` });
  }
}

/**
 * Records a trainer's check steps: the first step's time to first result, the losses against the
 * reference's, and (only once they agree) the warm check steps as its times when its budget allows
 * no timed step beyond them.
 */
function recordTrainWarmup(cell, reply, budgetMs) {
  const warmupMs = reply.first_result_ms + reply.warm_times_ms.reduce((a, b) => a + b, 0) + reply.warm_up_ms;
  Object.assign(cell, { first_result_ms: reply.first_result_ms, warmup_ms: warmupMs, warm_up_steps: reply.warm_up_steps, losses: reply.losses, max_rel_loss_err_vs_cpu: reply.max_rel_err });
  if (!(reply.max_rel_err <= kLossTolerance)) {
    Object.assign(cell, { status: 'mismatch', note: `losses differ from the CPU reference's by ${formatError(reply.max_rel_err)} (relative): not timed` });
  } else if (warmupMs + Math.min(...reply.warm_times_ms) > budgetMs) {
    Object.assign(cell, {
      status: 'over budget',
      times_ms: reply.warm_times_ms,
      note: `the ${kCheckSteps} check steps and ${reply.warm_up_steps} warm-up steps took ${formatMs(warmupMs)}, leaving no room in the ${formatMs(budgetMs)} budget: timed by check steps 2–${kCheckSteps}`,
    });
  }
}

/**
 * @param {{ page: Caller, node: Caller | null, nodeError: string | null }} sides where each backend runs;
 *   node is null when Dawn could not start (nodeError says why)
 * @param {import('./grid.mjs').Shape} shape
 * @param {'forward' | 'train'} task
 * @param {{ backends: readonly string[], reps: number, budgetMs: number }} options
 * @param {(line: string) => void} log
 * @returns {Promise<Cell[]>} one per backend of options.backends, in that order
 */
export async function runShape(sides, shape, task, options, log) {
  const nodeIds = options.backends.filter((id) => kNodeBackendIds.includes(id));
  const node = nodeIds.length > 0 ? sides.node : null;
  const side = (id) => (kNodeBackendIds.includes(id) ? node : sides.page);
  const cells = new Map(options.backends.map((id) => [id, newCell(id)]));
  try {
    const reference = await sides.page('prepare', { shape, task });
    if (node) await node('prepare', { shape, task });
    if (task === 'forward') {
      log(`  reference (webgpu-lstm/cpu, float64): ${formatMs(reference.first_result_ms)}`);
    } else {
      // The reference trains first: its losses are what every other backend's are checked against.
      const reply = await sides.page('open', kReferenceId);
      if (!reply.ok) throw new Error(`the reference (webgpu-lstm/cpu) could not train: ${reply.error}`);
      log(`  reference (webgpu-lstm/cpu, float64): first step ${formatMs(reply.first_result_ms)}, losses ${reply.losses.map((l) => l.toPrecision(7)).join(', ')}`);
      if (node) await node('setReferenceLosses', reply.losses);
      const cell = cells.get(kReferenceId);
      if (cell) recordTrainWarmup(cell, reply, options.budgetMs);
      else await sides.page('close', kReferenceId);
    }
    for (const [id, cell] of cells) {
      const call = side(id);
      if (id === kReferenceId && task === 'train') continue; // opened above
      const reply =
        !call ? { ok: false, error: sides.nodeError ?? 'Dawn did not start' }
        : id === kReferenceId ? { ok: true, first_result_ms: reference.first_result_ms, first_call_ms: reference.first_call_ms, max_abs_err: 0, stats: reference.stats }
        : await call('open', id);
      if (!reply.ok) Object.assign(cell, { status: 'error', error: reply.error });
      else if (task === 'train') recordTrainWarmup(cell, reply, options.budgetMs);
      else recordForwardWarmup(cell, reply, options.budgetMs);
      log(`  ${id.padEnd(20)} ${warmupLine(cell)}`);
      if (cell.status !== 'ok' && call && !(id === kReferenceId && task === 'forward')) await call('close', id);
    }
    await timeInterleaved(side, [...cells.values()].filter((c) => c.status === 'ok'), options, log);
  } finally {
    await sides.page('release');
    if (node) await node('release');
  }
  return [...cells.values()];
}

/** @param {Cell} cell */
function warmupLine(cell) {
  if (cell.error) return `error: ${cell.error}`;
  if (cell.losses) return `first step ${formatMs(cell.first_result_ms)}, losses ${cell.losses.map((l) => l.toPrecision(7)).join(', ')} (max rel. err ${formatError(cell.max_rel_loss_err_vs_cpu)})`;
  return `first result ${formatMs(cell.first_result_ms)}, max |err| ${formatError(cell.max_abs_err_vs_cpu)}`;
}

/**
 * The interleaved rounds, by the library's own protocol (timeInterleaved, which benchmark() runs
 * too): every backend still running once per round, starting one further along each round; a
 * backend stops when its next run would take it past its budget (it always gets one timed run),
 * or when a run fails.
 * @param {(id: string) => Caller | null} side
 */
async function timeInterleaved(side, cells, options, log) {
  const { lib } = await loadDist();
  const outcomes = await lib.timeInterleaved(
    cells.map((cell) => ({ id: cell.backend, warmupMs: cell.warmup_ms })),
    options,
    async (id) => {
      const reply = await /** @type {Caller} */ (side(id))('time', id);
      if (!reply.ok) throw new Error(reply.error);
      return reply.ms;
    },
    (report) => {
      if (report.timed.length) log(`  round ${report.round + 1}/${options.reps}: ${report.timed.map((t) => `${t.id} ${formatMs(t.ms)}`).join(', ')}`);
    },
  );
  for (const cell of cells) {
    const outcome = outcomes.get(cell.backend);
    if (!outcome) continue;
    cell.times_ms.push(...outcome.timesMs);
    if (outcome.stop === 'budget') cell.note = `budget of ${formatMs(options.budgetMs)} allowed ${cell.times_ms.length} of ${options.reps} timed runs`;
    if (outcome.stop === 'error') Object.assign(cell, { status: 'error', error: outcome.error });
  }
}

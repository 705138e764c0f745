// The columns of the results table, shared by the terminal and BENCHMARKS.md.
import { formatError, formatMs, formatNumber, formatPercent, formatRate, formatRatio } from './format.mjs';
import { kSubject } from './metrics.mjs';

/** @param {ReturnType<typeof import('./metrics.mjs').makeRow>} row */
function statusText(row) {
  if (row.status === 'error') return `error: ${(row.error ?? '').slice(0, 80)}`;
  if (row.status === 'mismatch') {
    return row.task === 'train'
      ? `MISMATCH (losses' max rel. err ${formatError(row.max_rel_loss_err_vs_cpu)}), not timed`
      : `MISMATCH (max |err| ${formatError(row.max_abs_err_vs_cpu)}), not timed`;
  }
  if (row.status === 'over budget') return row.task === 'train' ? 'OVER BUDGET: warm check steps' : 'OVER BUDGET: one run, first result';
  return row.note ? `ok (${row.note})` : 'ok';
}

/**
 * @type {{ header: string, align: 'left'|'right', cell: (row: ReturnType<typeof import('./metrics.mjs').makeRow>) => string }[]}
 */
export const kColumns = [
  { header: 'backend', align: 'left', cell: (r) => r.backend },
  { header: 'median', align: 'right', cell: (r) => formatMs(r.median_ms) },
  { header: 'min', align: 'right', cell: (r) => formatMs(r.min_ms) },
  { header: 'max', align: 'right', cell: (r) => formatMs(r.max_ms) },
  { header: 'n', align: 'right', cell: (r) => String(r.reps) },
  { header: 'first result', align: 'right', cell: (r) => formatMs(r.first_result_ms) },
  { header: 'first call', align: 'right', cell: (r) => formatMs(r.first_call_ms) },
  { header: 'seq-steps/s', align: 'right', cell: (r) => formatRate(r.seq_steps_per_s) },
  { header: 'GFLOP/s', align: 'right', cell: (r) => formatNumber(r.gflops) },
  { header: '% FMA peak', align: 'right', cell: (r) => formatPercent(r.pct_fma_peak) },
  { header: '% GEMM', align: 'right', cell: (r) => formatPercent(r.pct_gemm) },
  { header: 'max |err|', align: 'right', cell: (r) => formatError(r.max_abs_err_vs_cpu) },
  { header: 'webgpu-lstm ×', align: 'right', cell: (r) => (r.backend === kSubject ? '—' : formatRatio(r.speedup_of_webgpu_lstm)) },
  { header: 'status', align: 'left', cell: statusText },
];

/**
 * The columns of the training tables: one step per run; the first result is the first step (model
 * built, kernels compiled); the error is the largest relative difference of the check steps' losses.
 * @type {typeof kColumns}
 */
export const kTrainColumns = [
  ...kColumns.slice(0, 5),
  { header: 'first step', align: 'right', cell: (r) => formatMs(r.first_result_ms) },
  { header: 'samples/s', align: 'right', cell: (r) => formatRate(r.samples_per_s) },
  ...kColumns.slice(7, 9),
  { header: 'loss rel. err', align: 'right', cell: (r) => formatError(r.max_rel_loss_err_vs_cpu) },
  ...kColumns.slice(11),
];

/** The columns for rows of a task. @param {'forward' | 'train'} task */
export function columnsOf(task) {
  return task === 'train' ? kTrainColumns : kColumns;
}

/** The shape's label, from a row. */
export function rowShapeLabel(r) {
  return `(${r.B},${r.T},${r.I},${r.H})${r.layers > 1 ? ` ${r.layers} layers` : ''}${r.bidirectional ? ' bidir' : ''}`;
}

/** The label of a row's group: its shape, and "training step" for a training row. */
export function rowGroupLabel(r) {
  return `${rowShapeLabel(r)}${r.task === 'train' ? ' training step' : ''}`;
}

/** Rows grouped by shape and task, in run order. @template R @param {R[]} rows @returns {Map<string, R[]>} */
export function groupByShape(rows) {
  const groups = new Map();
  for (const row of rows) {
    const key = rowGroupLabel(row);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(row);
  }
  return groups;
}

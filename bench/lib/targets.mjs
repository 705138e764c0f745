// The targets of issues 3 (forward) and 13 (training), checked against one run's rows: each with the measured figure, the
// threshold, and whether it is met (null when the run did not measure it).
import { rowGroupLabel, rowShapeLabel } from './columns.mjs';
import { dispatchCeiling } from './grid.mjs';
import { formatMs, formatNumber, formatPercent, formatRatio } from './format.mjs';
import { kSubject, sameShape } from './metrics.mjs';

/** @typedef {ReturnType<typeof import('./metrics.mjs').makeRow>} Row */

/** The largest training shape, where webgpu-lstm should beat TensorFlow.js on wasm (issue 13). */
const kLargestTrainShape = { B: 256, T: 50, I: 128, H: 256, layers: 1, bidirectional: false, task: /** @type {const} */ ('train') };

const kFmaShapes = [
  { B: 64, T: 100, I: 128, H: 256, layers: 1, bidirectional: false },
  { B: 256, T: 50, I: 128, H: 256, layers: 1, bidirectional: false },
];

/**
 * A row's median if it was timed (within budget, or its one time when over budget).
 * @param {Row | undefined} row @returns {number | null}
 */
function timedMedian(row) {
  return row && (row.status === 'ok' || row.status === 'over budget') ? row.median_ms : null;
}

/** Measured facts about webgpu-lstm on WebGPU at one shape: what a reader needs to see what limits it. */
function subjectFacts(row, fmaGflops) {
  const steps = row.T * row.layers * (row.bidirectional ? 2 : 1);
  return [
    `${formatMs(row.median_ms)} median`,
    `${formatMs(row.median_ms / steps)} per step of one layer and direction`,
    row.dispatches != null ? `${row.dispatches} dispatches, ${row.submits} submit${row.submits === 1 ? '' : 's'}` : null,
    row.gflops != null ? `${formatNumber(row.gflops)} GFLOP/s${fmaGflops ? ` (${formatPercent(row.gflops / fmaGflops)} of the FMA peak)` : ''}` : null,
  ]
    .filter(Boolean)
    .join(', ');
}

/** Why a row has no comparable time (mismatch, error), or null when it has one. */
function problem(row) {
  if (row.status === 'ok' || row.status === 'over budget') return null;
  return `${row.backend}: ${row.status}${row.error ? ` (${row.error})` : row.note ? ` (${row.note})` : ''}`;
}

/**
 * A ratio target. `measured` is [ratio, detail], or null when a peer was not measured; a subject
 * that mismatched or failed misses the target.
 */
function ratioResult(target, row, threshold, measured) {
  const base = { target, shape: rowGroupLabel(row), threshold };
  const failure = problem(row);
  if (failure) return { ...base, measured: null, met: false, detail: failure };
  if (!measured) return { ...base, measured: null, met: null, detail: 'the peer was not measured in this run' };
  const [value, detail] = measured;
  return { ...base, measured: value, met: value >= threshold, detail };
}

/**
 * @param {ReturnType<typeof import('./metrics.mjs').makeRow>[]} rows
 * @param {{ fmaGflops: number|null, [other: string]: unknown }} peaks
 */
export function evaluateTargets(rows, peaks) {
  const results = [];
  const subjects = rows.filter((r) => r.backend === kSubject && r.task !== 'train');
  const find = (backend, shapeRow) => rows.find((r) => r.backend === backend && sameShape(r, shapeRow));
  for (const ours of subjects) {
    const mine = timedMedian(ours);
    const facts = subjectFacts(ours, peaks.fmaGflops);

    const gpuPeers = ['tfjs/webgpu', 'ort/webgpu'].flatMap((id) => {
      const row = find(id, ours);
      const ms = timedMedian(row);
      return row && ms ? [{ backend: row.backend, ms }] : [];
    });
    const fastest = gpuPeers.sort((a, b) => a.ms - b.ms)[0];
    results.push(
      ratioResult('≥ 4× faster than the faster of tfjs/webgpu and ort/webgpu', ours, 4, mine && fastest && [
        fastest.ms / mine,
        `${fastest.backend} ${formatMs(fastest.ms)} vs ${facts}`,
      ]),
    );

    if (ours.B === 1) {
      const tfjs = timedMedian(find('tfjs/webgpu', ours));
      results.push(
        ratioResult('≥ 30× faster than tfjs/webgpu at B = 1', ours, 30, mine && tfjs && [
          tfjs / mine,
          `tfjs/webgpu ${formatMs(tfjs)} vs ${facts}`,
        ]),
      );
    }

    if (kFmaShapes.some((s) => sameShape(s, ours))) {
      results.push(
        ratioResult('≥ 30% of the adapter\'s FMA peak', ours, 0.3, mine && ours.gflops && peaks.fmaGflops && [
          ours.gflops / peaks.fmaGflops,
          `${formatNumber(ours.gflops)} of ${formatNumber(peaks.fmaGflops)} GFLOP/s; ${facts}`,
        ]),
      );
    }

    const ceiling = dispatchCeiling({ steps: ours.T, layers: ours.layers, bidirectional: ours.bidirectional });
    results.push({
      target: '≤ L·D·(T+1)+4 dispatches and 1 submit per forward',
      shape: rowShapeLabel(ours),
      threshold: ceiling,
      measured: ours.dispatches,
      met: ours.dispatches == null ? null : ours.dispatches <= ceiling && ours.submits === 1,
      detail:
        ours.dispatches == null
          ? 'not measured in this run'
          : `${ours.dispatches} dispatches (ceiling ${ceiling}), ${ours.submits} submit(s)` +
            (ours.dispatches <= 2 * ours.layers * (ours.bidirectional ? 2 : 1) ? '; within 2·L·D, the whole-sequence bound' : ''),
    });
  }
  for (const cpu of rows.filter((r) => r.backend === 'webgpu-lstm/cpu' && r.task !== 'train')) {
    const tfjs = timedMedian(find('tfjs/cpu', cpu));
    const mine = timedMedian(cpu);
    results.push(
      ratioResult('webgpu-lstm/cpu no slower than tfjs/cpu', cpu, 1, mine && tfjs && [
        tfjs / mine,
        `tfjs/cpu ${formatMs(tfjs)} vs webgpu-lstm/cpu ${formatMs(mine)} (float64 reference)`,
      ]),
    );
  }
  results.push(...trainTargets(rows));
  results.push(...wasmTargets(rows));
  return results;
}

/** The wasm engine's row and its single-thread twin on each side (issue 18). */
const kWasmSides = [
  { ours: 'webgpu-lstm/wasm', single: 'webgpu-lstm/wasm-1t', where: 'in the page' },
  { ours: 'webgpu-lstm/wasm-node', single: 'webgpu-lstm/wasm-node-1t', where: 'in Node' },
];

/**
 * The targets of issue 18 (the wasm engine), per shape: against ort/wasm and tfjs/wasm in the same
 * page on the same threads, against PyTorch's own training step, its share of the wasm FMA peak,
 * what the threads gain, and its first result against its later ones.
 * @param {Row[]} rows
 */
function wasmTargets(rows) {
  const results = [];
  const find = (backend, shapeRow) => rows.find((r) => r.backend === backend && sameShape(r, shapeRow));
  for (const ours of rows.filter((r) => r.backend === 'webgpu-lstm/wasm')) {
    const mine = timedMedian(ours);
    const facts = `webgpu-lstm/wasm ${formatMs(mine)}`;
    if (ours.task === 'train') {
      const tfjs = timedMedian(find('tfjs/wasm', ours));
      results.push(ratioResult('wasm training step ≥ 10× faster than tfjs/wasm', ours, 10, mine && tfjs && [tfjs / mine, `tfjs/wasm ${formatMs(tfjs)} vs ${facts}`]));
      continue;
    }
    const ort = timedMedian(find('ort/wasm', ours));
    const threshold = ours.B === 1 ? 2 : 1.25;
    results.push(ratioResult(`wasm forward ≥ ${threshold}× faster than ort/wasm${ours.B === 1 ? ' at B = 1' : ''}`, ours, threshold, mine && ort && [ort / mine, `ort/wasm ${formatMs(ort)} vs ${facts}`]));
  }
  for (const ours of rows.filter((r) => r.backend === 'webgpu-lstm/wasm-node' && sameShape(r, kLargestTrainShape))) {
    const mine = timedMedian(ours);
    const torch = timedMedian(find('torch/cpu', ours));
    results.push(ratioResult('wasm training step ≥ 3× faster than PyTorch on the same cores', ours, 3, mine && torch && [torch / mine, `torch/cpu ${formatMs(torch)} vs webgpu-lstm/wasm-node ${formatMs(mine)}`]));
  }
  for (const { ours: id, single, where } of kWasmSides) {
    for (const ours of rows.filter((r) => r.backend === id && r.task !== 'train' && kFmaShapes.some((s) => sameShape(s, r)))) {
      const mine = timedMedian(ours);
      const one = timedMedian(find(single, ours));
      results.push(ratioResult(`wasm ${where}: ≥ 60% of the wasm FMA peak`, ours, 0.6, mine && ours.pct_fma_peak != null && [ours.pct_fma_peak, `${formatNumber(ours.gflops)} GFLOP/s`]));
      results.push(ratioResult(`wasm ${where}: all threads ≥ 1.7× one thread`, ours, 1.7, mine && one && [one / mine, `${single} ${formatMs(one)} vs ${id} ${formatMs(mine)}`]));
    }
    // Issue 18: "a first call costs no more than 3 later ones (instantiation, packing, workers
    // started once per backend, not per call)": the first forward after load, against the median.
    for (const ours of rows.filter((r) => r.backend === id && r.task !== 'train')) {
      const mine = timedMedian(ours);
      const first = ours.first_call_ms;
      results.push({
        target: `wasm ${where}: first call ≤ 3 later calls`,
        shape: rowGroupLabel(ours),
        threshold: 3,
        measured: mine && first != null ? first / mine : null,
        met: mine && first != null ? first <= 3 * mine : null,
        detail: mine ? `first call ${formatMs(first)}, median ${formatMs(mine)}; first result ${formatMs(ours.first_result_ms)} (backend, load and first call)` : 'not timed',
      });
    }
  }
  return results;
}

/** The training targets of issue 13, per training shape of the run. @param {Row[]} rows */
function trainTargets(rows) {
  const results = [];
  const find = (backend, shapeRow) => rows.find((r) => r.backend === backend && sameShape(r, shapeRow));
  for (const ours of rows.filter((r) => r.backend === kSubject && r.task === 'train')) {
    const mine = timedMedian(ours);
    const steps = `${formatMs(mine)} per step, ${formatNumber(ours.gflops)} GFLOP/s`;
    const tfjs = timedMedian(find('tfjs/webgpu', ours));
    results.push(
      ratioResult('training step ≥ 10× faster than tfjs/webgpu', ours, 10, mine && tfjs && [tfjs / mine, `tfjs/webgpu ${formatMs(tfjs)} vs webgpu-lstm/webgpu ${steps}`]),
    );
    if (sameShape(ours, kLargestTrainShape)) {
      const wasm = timedMedian(find('tfjs/wasm', ours));
      results.push(
        ratioResult('training step faster than tfjs/wasm at the largest shape', ours, 1, mine && wasm && [wasm / mine, `tfjs/wasm ${formatMs(wasm)} vs webgpu-lstm/webgpu ${steps}`]),
      );
    }
  }
  return results;
}

/** "met", "NOT met" or "not measured", for tables. @param {{ met: boolean|null }} result */
export function verdict(result) {
  return result.met === null ? 'not measured' : result.met ? 'met' : 'NOT met';
}

/** The measured figure in the target's unit. @param {{ target: string, measured: number|null }} result */
export function formatMeasured(result) {
  if (result.measured == null) return '—';
  if (result.target.includes('FMA peak')) return formatPercent(result.measured);
  if (result.target.includes('dispatches')) return String(result.measured);
  return formatRatio(result.measured);
}

// The results as the terminal shows them at the end of a run.
import { columnsOf, groupByShape } from './columns.mjs';
import { environmentLines, rooflineLines, wasmRooflineLines } from './environment.mjs';
import { formatNumber } from './format.mjs';
import { taskFlops } from './grid.mjs';
import { formatMeasured, verdict } from './targets.mjs';
import { textTable } from './text-table.mjs';

/** @param {any[]} rows rows of one shape */
function shapeFlops(rows) {
  const r = rows[0];
  return taskFlops({ batch: r.B, steps: r.T, inputSize: r.I, hiddenSize: r.H, layers: r.layers, bidirectional: r.bidirectional }, r.task);
}

/** @param {any} result @returns {string} */
export function renderTerminal(result) {
  const out = [...environmentLines(result), ...rooflineLines(result.roofline), ...wasmRooflineLines(result.wasm_roofline ?? null), ''];
  for (const [label, rows] of groupByShape(result.rows)) {
    const columns = columnsOf(rows[0].task);
    out.push(`${label}: ${formatNumber(shapeFlops(rows) / 1e9)} GFLOP per ${rows[0].task === 'train' ? 'training step' : 'forward'}`);
    out.push(textTable(columns.map((c) => c.header), rows.map((r) => columns.map((c) => c.cell(r))), columns.map((c) => c.align)));
    out.push('');
  }
  out.push('"webgpu-lstm ×": how many times faster webgpu-lstm/webgpu ran than that row (medians, same run).');
  out.push('');
  out.push('Targets of issues 3, 13 and 18:');
  out.push(
    textTable(
      ['target', 'shape', 'measured', 'verdict', 'detail'],
      result.targets.map((t) => [t.target, t.shape, formatMeasured(t), verdict(t), t.detail]),
      ['left', 'left', 'right', 'left', 'left'],
    ),
  );
  return out.join('\n');
}

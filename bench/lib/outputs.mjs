// Writes a run's three files: latest.json, the SVG chart and BENCHMARKS.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { renderChart } from './chart.mjs';
import { renderMarkdown } from './markdown.mjs';

/** @param {any} result @param {{ json: string, svg: string, markdown: string }} paths */
export function writeOutputs(result, paths) {
  for (const path of Object.values(paths)) mkdirSync(dirname(path), { recursive: true });
  writeFileSync(paths.json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(paths.svg, renderChart(result));
  const chartPath = relative(dirname(paths.markdown), paths.svg).split('\\').join('/');
  writeFileSync(paths.markdown, renderMarkdown(result, chartPath));
}

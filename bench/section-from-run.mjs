// Stores the training tables of a separate `npm run bench -- --train --out DIR` run as the
// 'train-rerun' section of BENCHMARKS.md (a rerun when the machine is quieter, or at a later commit), and
// its latest.json as bench/results/train-rerun.json; the main run's own rows stay as they are.
//
//   node bench/section-from-run.mjs DIR
import { copyFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeSection } from './lib/sections.mjs';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/section-from-run.mjs DIR (the --out folder of a --train run)');
const result = JSON.parse(readFileSync(resolve(dir, 'latest.json'), 'utf8'));
const markdown = readFileSync(resolve(dir, 'BENCHMARKS.md'), 'utf8');
const between = (start, end) => {
  const from = markdown.indexOf(start);
  const to = markdown.indexOf(end, from + start.length);
  if (from < 0 || to < 0) throw new Error(`${dir}/BENCHMARKS.md has no "${start}" … "${end}" part`);
  return markdown.slice(from + start.length, to).trim().split('\n');
};
const tables = between('### One training step', '## Targets of issues 3, 13 and 18');
const targets = between('## Targets of issues 3, 13 and 18', 'What limits the targets not met');
const load = [...new Set(result.rows.map((r) => r.load_avg?.[0]).filter((v) => v != null))];
writeSection('train-rerun', {
  title: 'Training step, a second run',
  command: `${result.command} (${result.date}${result.library ? `, commit ${result.library.commit}` : ''})`,
  started: new Date(result.date),
  loadAtStart: result.rows[0]?.load_avg?.map((v) => v.toFixed(2)).join(', ') ?? 'n/a',
  adapters: [`Adapter: ${result.environment.adapter.vendor} ${result.environment.adapter.architecture}; Dawn: ${result.environment.dawn?.adapter?.description ?? 'n/a'}. 1-minute load average at each shape's start: ${load.map((v) => v.toFixed(2)).join(', ')}.`],
  body: [
    'The same training protocol as above, run again on its own (its commit is in the command line above);',
    'medians and ratios are side by side within this run.',
    '',
    ...tables.map((line) => line.replace(/^#### /, '### ')),
    '',
    '### Training targets in this run',
    '',
    ...targets,
  ],
});
copyFileSync(resolve(dir, 'latest.json'), new URL('./results/train-rerun.json', import.meta.url));
console.log('Wrote bench/results/sections/train-rerun.md and bench/results/train-rerun.json; npm run bench -- --render puts the section into BENCHMARKS.md');

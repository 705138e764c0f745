// `npm run bench`: see bench/lib/args.mjs for the options, BENCHMARKS.md for what it measures.
import { kUsage, parseBenchArgs } from './lib/args.mjs';
import { readFileSync } from 'node:fs';
import { runBench } from './lib/bench.mjs';
import { groupByShape } from './lib/columns.mjs';
import { addSpeedups } from './lib/metrics.mjs';
import { writeOutputs } from './lib/outputs.mjs';

const argv = process.argv.slice(2);
let options;
try {
  options = parseBenchArgs(argv);
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : error}\n\n${kUsage}`);
  process.exit(2);
}
if (options === 'help') {
  console.log(kUsage);
} else if (options.render) {
  const result = JSON.parse(readFileSync(options.outputs.json, 'utf8'));
  // The speed-ups again, by today's rules, per shape and task.
  for (const rows of groupByShape(result.rows).values()) addSpeedups(rows);
  writeOutputs(result, options.outputs);
  console.log(`Wrote ${Object.values(options.outputs).join(', ')}`);
} else {
  try {
    await runBench(options, { command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' ') });
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.stack : error}`);
    process.exitCode = 1;
  }
}

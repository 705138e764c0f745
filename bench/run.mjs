// `npm run bench`: see bench/lib/args.mjs for the options, BENCHMARKS.md for what it measures.
import { kUsage, parseBenchArgs } from './lib/args.mjs';
import { readFileSync } from 'node:fs';
import { runBench } from './lib/bench.mjs';
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
  writeOutputs(JSON.parse(readFileSync(options.outputs.json, 'utf8')), options.outputs);
  console.log(`Wrote ${Object.values(options.outputs).join(', ')}`);
} else {
  try {
    await runBench(options, { command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' ') });
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.stack : error}`);
    process.exitCode = 1;
  }
}

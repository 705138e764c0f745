// The command line of `npm run bench`.
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { kBackendIds } from '../page/backend-ids.js';
import { kFullGrid, kQuickGrid, parseShape } from './grid.mjs';

const kRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const kUsage = `Usage: npm run bench -- [options]

Times an LSTM forward pass in headless Chromium on webgpu-lstm (WebGPU and CPU), TensorFlow.js
(webgpu, wasm, cpu) and ONNX Runtime Web (webgpu, wasm), after checking each output against
webgpu-lstm's float64 CPU reference.

Options:
  --quick              CI smoke run: tiny shapes, 2 reps, small roofline; writes to test-output/bench-quick/
  --shapes LIST        comma-separated BxTxIxH[xL][bi], e.g. 16x100x64x128,32x100x64x128x2bi (default: the full grid)
  --backends LIST      comma-separated ids or prefixes (webgpu-lstm, tfjs, ort) of:
                       ${kBackendIds.join(', ')}
  --reps N             timed runs per backend and shape after the warm-up (default 5; --quick 2)
  --budget SECONDS     time allowed per backend and shape, warm-up included (default 90; --quick 30)
  --threads N          threads of the wasm peers (default: the machine's cores, ${availableParallelism()})
  --out DIR            write latest.json, chart.svg and BENCHMARKS.md into DIR
                       (default: bench/results/ and BENCHMARKS.md at the repository root)
  --no-roofline        skip the FMA-peak and GEMM measurements
  --help               this text
`;

/** @param {string} name @param {string|undefined} text @param {number} fallback */
function positive(name, text, fallback) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number, got ${JSON.stringify(text)}`);
  return value;
}

/** @param {string} list */
function selectBackends(list) {
  const picked = new Set();
  for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const matches = kBackendIds.filter((id) => id === item || id.startsWith(`${item}/`));
    if (matches.length === 0) throw new Error(`--backends: unknown backend ${JSON.stringify(item)}; known: ${kBackendIds.join(', ')}`);
    matches.forEach((id) => picked.add(id));
  }
  return kBackendIds.filter((id) => picked.has(id)); // table order
}

/**
 * @typedef {{
 *   quick: boolean, shapes: import('./grid.mjs').Shape[], backends: string[], reps: number, budgetMs: number,
 *   threads: number, roofline: false | { fmaTargetMs: number, gemmSize: number, repeats: number },
 *   outputs: { json: string, svg: string, markdown: string }
 * }} BenchOptions
 */

/** @param {string[]} argv @returns {BenchOptions | 'help'} */
export function parseBenchArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      shapes: { type: 'string' },
      backends: { type: 'string' },
      reps: { type: 'string' },
      budget: { type: 'string' },
      threads: { type: 'string' },
      out: { type: 'string' },
      'no-roofline': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick;
  const reps = positive('--reps', values.reps, quick ? 2 : 5);
  if (!Number.isInteger(reps)) throw new Error(`--reps: expected a whole number, got ${values.reps}`);
  const outDir = values.out ?? (quick ? join(kRoot, 'test-output/bench-quick') : null);
  return {
    quick,
    shapes: values.shapes ? values.shapes.split(',').map(parseShape) : quick ? kQuickGrid : kFullGrid,
    backends: values.backends ? selectBackends(values.backends) : [...kBackendIds],
    reps,
    budgetMs: positive('--budget', values.budget, quick ? 30 : 90) * 1000,
    threads: Math.round(positive('--threads', values.threads, availableParallelism())),
    roofline: values['no-roofline'] ? false : quick ? { fmaTargetMs: 100, gemmSize: 256, repeats: 2 } : { fmaTargetMs: 300, gemmSize: 1024, repeats: 4 },
    outputs: outDir
      ? { json: resolve(outDir, 'latest.json'), svg: resolve(outDir, 'chart.svg'), markdown: resolve(outDir, 'BENCHMARKS.md') }
      : { json: join(kRoot, 'bench/results/latest.json'), svg: join(kRoot, 'bench/results/chart.svg'), markdown: join(kRoot, 'BENCHMARKS.md') },
  };
}

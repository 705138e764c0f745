// The command line of `npm run bench`.
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { kBackendIds, kTrainBackendIds, kTrainOnlyIds } from '../page/backend-ids.js';
import { kFullGrid, kQuickGrid, kQuickTrainGrid, kTrainGrid, parseShape } from './grid.mjs';

const kRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const kUsage = `Usage: npm run bench -- [options]

Times an LSTM forward pass in headless Chromium on webgpu-lstm (WebGPU and CPU), TensorFlow.js
(webgpu, wasm, cpu) and ONNX Runtime Web (webgpu, wasm), and webgpu-lstm on WebGPU in Node through
Dawn, after checking each output against webgpu-lstm's float64 CPU reference. Then one training
step (forward, MSE loss, backward, Adam) of an LSTM with a Dense(1) head on webgpu-lstm (WebGPU in
the page and on Dawn, CPU) and TensorFlow.js (trainOnBatch on webgpu, wasm, cpu), after checking
the losses of the first steps against the CPU reference's.

Options:
  --quick              CI smoke run: tiny shapes, 2 reps, small roofline; writes to test-output/bench-quick/
  --forward            the forward bench only
  --train              the training bench only (no roofline unless asked for with --roofline)
  --shapes LIST        comma-separated BxTxIxH[xL][bi], e.g. 16x100x64x128,32x100x64x128x2bi (default: the full
                       grid; for training: 32x12x1x50,64x100x32x128,256x50x128x256)
  --backends LIST      comma-separated ids or prefixes (webgpu-lstm, tfjs, ort) of:
                       ${kBackendIds.join(', ')}
                       (training times those of ${kTrainBackendIds.join(', ')};
                       torch/cpu is PyTorch's own step in a Python with torch: WEBGPU_LSTM_BENCH_PYTHON, python3
                       or /usr/bin/python3, reported as an error row where none has torch)
  --reps N             timed runs per backend and shape after the warm-up (default 5; --quick 2)
  --budget SECONDS     time allowed per backend and shape, warm-up included (default 90; --quick 30)
  --threads N          threads of the wasm rows (webgpu-lstm/wasm, wasm-node, tfjs/wasm, ort/wasm) and of
                       PyTorch (default: the machine's cores, ${availableParallelism()}); the -1t rows run one
  --out DIR            write latest.json, chart.svg and BENCHMARKS.md into DIR
                       (default: bench/results/ and BENCHMARKS.md at the repository root)
  --no-roofline        skip the FMA-peak and GEMM measurements
  --roofline           measure them even with --train
  --render             write the chart and BENCHMARKS.md again from latest.json (and bench/results/sections/),
                       measuring nothing
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
  const known = [...kBackendIds, ...kTrainOnlyIds];
  const picked = new Set();
  for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const matches = known.filter((id) => id === item || id.startsWith(`${item}/`));
    if (matches.length === 0) throw new Error(`--backends: unknown backend ${JSON.stringify(item)}; known: ${known.join(', ')}`);
    matches.forEach((id) => picked.add(id));
  }
  return known.filter((id) => picked.has(id)); // table order
}

/**
 * @typedef {{
 *   quick: boolean, render: boolean, tasks: ('forward' | 'train')[],
 *   shapes: import('./grid.mjs').Shape[], trainShapes: import('./grid.mjs').Shape[],
 *   backends: string[], trainBackends: string[], reps: number, budgetMs: number,
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
      forward: { type: 'boolean', default: false },
      train: { type: 'boolean', default: false },
      roofline: { type: 'boolean', default: false },
      shapes: { type: 'string' },
      backends: { type: 'string' },
      reps: { type: 'string' },
      budget: { type: 'string' },
      threads: { type: 'string' },
      out: { type: 'string' },
      'no-roofline': { type: 'boolean', default: false },
      render: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick;
  const reps = positive('--reps', values.reps, quick ? 2 : 5);
  if (!Number.isInteger(reps)) throw new Error(`--reps: expected a whole number, got ${values.reps}`);
  const outDir = values.out ?? (quick ? join(kRoot, 'test-output/bench-quick') : null);
  /** @type {('forward' | 'train')[]} */
  const tasks = values.forward === values.train ? ['forward', 'train'] : values.forward ? ['forward'] : ['train'];
  const shapes = values.shapes ? values.shapes.split(',').map(parseShape) : null;
  const backends = values.backends ? selectBackends(values.backends) : [...kBackendIds, ...kTrainOnlyIds];
  if (values['no-roofline'] && values.roofline) throw new Error('--roofline and --no-roofline contradict each other');
  const roofline = values['no-roofline'] || (!tasks.includes('forward') && !values.roofline) ? false : null;
  return {
    quick,
    render: values.render,
    tasks,
    shapes: shapes ?? (quick ? kQuickGrid : kFullGrid),
    trainShapes: shapes ?? (quick ? kQuickTrainGrid : kTrainGrid),
    backends: backends.filter((id) => !kTrainOnlyIds.includes(id)),
    trainBackends: backends.filter((id) => /** @type {readonly string[]} */ (kTrainBackendIds).includes(id)),
    reps,
    budgetMs: positive('--budget', values.budget, quick ? 30 : 90) * 1000,
    threads: Math.round(positive('--threads', values.threads, availableParallelism())),
    roofline: roofline === false ? false : quick ? { fmaTargetMs: 100, gemmSize: 256, repeats: 2 } : { fmaTargetMs: 300, gemmSize: 1024, repeats: 4 },
    outputs: outDir
      ? { json: resolve(outDir, 'latest.json'), svg: resolve(outDir, 'chart.svg'), markdown: resolve(outDir, 'BENCHMARKS.md') }
      : { json: join(kRoot, 'bench/results/latest.json'), svg: join(kRoot, 'bench/results/chart.svg'), markdown: join(kRoot, 'BENCHMARKS.md') },
  };
}

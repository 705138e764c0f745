// Start-up: the time to a model's first result, and to the first call of each new shape once the
// model is warm, against the same shape's steady call. Each measurement opens its own backend
// (a new device, so nothing compiled is reused), in a fresh Node process for Dawn.
//
//   npm run build && node bench/startup.mjs [--runs 3] [--chromium]
//   (without a GPU: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node bench/startup.mjs)
//
// First result: createBackend + load + forward at (T, B, I, H) = (100, 1, 32, 128). Then, on the
// same runner, each new shape's first call and a steady call (after runner.warmup for that shape,
// so on its own kernels); the new-shape overhead is their difference. Medians over --runs processes.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadDist } from './lib/dist.mjs';
import { ensureDawnAdapter } from './lib/node-host.mjs';
import { sectionReport } from './lib/sections.mjs';

const { lib: { LSTM }, node } = await loadDist();
const { BrowserSession, createNodeBackend } = node;
await ensureDawnAdapter(node, (line) => console.error(line));
const report = sectionReport('startup', 'Start-up: time to first result and to a first call of a new shape');

/** (T, B): the first shape, then new shapes of the same model (I = 32, H = 128). */
const kShapes = [[100, 1], [50, 1], [100, 64], [20, 7], [100, 16]];

function flag(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} expects a positive integer`);
  return value;
}

/** One run: time to first result, then per new shape [first call, second call], in ms. Runs in Node and in the page. */
async function measureStartup(lib, openBackend, shapes) {
  const I = 32;
  const t0 = performance.now();
  const backend = await openBackend();
  const opened = performance.now();
  const runner = await backend.load(lib.LSTM.random({ inputSize: I, hiddenSize: 128, seed: 7 }));
  const loaded = performance.now();
  const call = async ([T, B]) => {
    const start = performance.now();
    await runner.forward(Float64Array.from({ length: T * B * I }, (_, i) => Math.sin(0.37 * i)), { steps: T, batch: B });
    return performance.now() - start;
  };
  const first = await call(shapes[0]);
  /** @type {{ open: number, load: number, firstCall: number, firstResult: number, shapes: number[][] }} */
  const result = { open: opened - t0, load: loaded - opened, firstCall: first, firstResult: performance.now() - t0, shapes: [] };
  for (const shape of shapes.slice(1)) {
    const firstCall = await call(shape);
    // The steady call runs on the shape's own kernels: warmup waits for any still compiling.
    await runner.warmup?.({ steps: shape[0], batch: shape[1] });
    result.shapes.push([firstCall, await call(shape)]);
  }
  runner.dispose();
  backend.dispose();
  return result;
}

if (process.argv[2] === '--child') {
  const result = await measureStartup({ LSTM }, () => createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' }), kShapes);
  console.log(JSON.stringify(result));
  process.exit(0);
}

const runs = flag('runs', 3);
const withChromium = process.argv.includes('--chromium');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (v) => (v < 10 ? v.toFixed(1) : v.toFixed(0));

const table = [];
const dawnRuns = Array.from({ length: runs }, () =>
  JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8' }).trim().split('\n').pop() ?? ''),
);
table.push({ name: 'Dawn in Node', runs: dawnRuns });
if (withChromium) {
  const session = await BrowserSession.open();
  try {
    const chromiumRuns = [];
    for (let r = 0; r < runs; r++) {
      chromiumRuns.push(
        await session.page.evaluate(
          (source, shapes) => {
            const lib = /** @type {any} */ (window).webgpuLstm;
            return new Function(`return ${source}`)()(lib, () => lib.createBackend({ prefer: 'webgpu' }), shapes);
          },
          measureStartup.toString(), kShapes,
        ),
      );
    }
    table.push({ name: `Chromium ${session.browserVersion} (in page)`, runs: chromiumRuns });
  } finally {
    await session.close();
  }
}

report.print(`start-up, ms: medians of ${runs} runs; I = 32, H = 128\n`);
report.print('| runtime | first result (100, 1) | of which: open, load, first call |');
report.print('|---|---|---|');
for (const { name, runs: rs } of table) {
  report.print(`| ${name} | ${ms(median(rs.map((r) => r.firstResult)))} | ${ms(median(rs.map((r) => r.open)))}, ${ms(median(rs.map((r) => r.load)))}, ${ms(median(rs.map((r) => r.firstCall)))} |`);
}
report.print('\n| runtime | new shape (T, B) | first call | steady call | new-shape overhead |');
report.print('|---|---|---|---|---|');
for (const { name, runs: rs } of table) {
  kShapes.slice(1).forEach(([T, B], k) => {
    const first = median(rs.map((r) => r.shapes[k][0]));
    const steady = median(rs.map((r) => r.shapes[k][1]));
    const overhead = median(rs.map((r) => r.shapes[k][0] - r.shapes[k][1]));
    report.print(`| ${name} | (${T}, ${B}) | ${ms(first)} | ${ms(steady)} | ${ms(overhead)} |`);
  });
}
report.writeIfAsked();

// Per-step latency of streaming, one step at a time: runner.stream({ batch }).step(x_t), whose
// (h, c) stay on the GPU, against today's way, runner.forward(x_t, { steps: 1, batch, h0, c0 }) with
// h0 and c0 taken from the previous call's h_n and c_n (a round trip through the CPU each step).
//
//   npm run build && node bench/streaming.mjs [--steps 300] [--warmup 20] [--chromium]
//   (without a GPU: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node bench/streaming.mjs)
//
// I = 32, H = 128, B = 1 and 64; medians and 99th percentiles of the wall time of each step, timed
// where the caller sits (in Node for Dawn, in the page for Chromium with --chromium). Both ways run
// the same inputs; the largest difference of their last outputs is printed as a check.
import { loadDist } from './lib/dist.mjs';
import { ensureDawnAdapter } from './lib/node-host.mjs';
import { sectionReport } from './lib/sections.mjs';

const { lib: { LSTM }, node } = await loadDist();
const { BrowserSession, createNodeBackend } = node;
await ensureDawnAdapter(node, (line) => console.error(line));
const report = sectionReport('streaming', 'Streaming: per-step latency, state on the GPU against a round trip through the CPU');

const kShapes = [
  { batch: 1, inputSize: 32, hiddenSize: 128 },
  { batch: 64, inputSize: 32, hiddenSize: 128 },
];

function flag(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} expects a positive integer`);
  return value;
}
const steps = flag('steps', 300);
const warmup = flag('warmup', 20);
const withChromium = process.argv.includes('--chromium');

/**
 * Times both ways on one shape through `lib` (the library's public API) and `backend`. Runs in Node
 * and, from its source text, in the page.
 */
async function measureStreaming(lib, backend, shape, stepCount, warmupCount) {
  const { batch: B, inputSize: I, hiddenSize: H } = shape;
  const model = lib.LSTM.random({ inputSize: I, hiddenSize: H, seed: 7 });
  const runner = await backend.load(model);
  const xs = Array.from({ length: warmupCount + stepCount }, (_, t) => Float64Array.from({ length: B * I }, (_, i) => Math.sin(0.37 * (t * B * I + i) + 0.1)));
  /** @type {{ stream: number[], roundTrip: number[] }} */
  const times = { stream: [], roundTrip: [] };
  const stream = runner.stream({ batch: B, outputs: 'last' });
  /** @type {ArrayLike<number>} */
  let streamed = [];
  /** @type {ArrayLike<number>} */
  let roundTrip = [];
  let state = {};
  // The two ways take turns step by step, so a busy moment of the machine falls on both alike.
  for (let t = 0; t < xs.length; t++) {
    const t0 = performance.now();
    streamed = (await stream.step(xs[t])).output.data;
    const t1 = performance.now();
    const result = await runner.forward(xs[t], { steps: 1, batch: B, ...state });
    const t2 = performance.now();
    state = { h0: result.hN.data, c0: result.cN.data };
    roundTrip = result.output.data;
    if (t < warmupCount) continue;
    times.stream.push(t1 - t0);
    times.roundTrip.push(t2 - t1);
  }
  let maxDiff = 0;
  for (let i = 0; i < streamed.length; i++) maxDiff = Math.max(maxDiff, Math.abs(streamed[i] - roundTrip[i]));
  stream.dispose();
  runner.dispose();
  return { times, maxDiff };
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
const ms = (v) => (v < 1 ? v.toFixed(3) : v.toFixed(2));
const describeAdapter = (a) => `${a.vendor} ${a.architecture}${a.description ? ` (${a.description})` : ''}${a.isSoftware ? ', software' : ''}`;

/** @type {{ name: string, adapter: any, rows: { times: { stream: number[], roundTrip: number[] }, maxDiff: number }[] }[]} */
const runtimes = [];
const dawn = await createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
try {
  runtimes.push({ name: 'Dawn in Node', adapter: dawn.adapter, rows: [] });
  for (const shape of kShapes) runtimes[0].rows.push(await measureStreaming({ LSTM }, dawn, shape, steps, warmup));
} finally {
  await dawn.close();
}
if (withChromium) {
  const session = await BrowserSession.open();
  try {
    const adapter = await session.page.evaluate(async () => {
      const page = /** @type {any} */ (window);
      page.benchBackend = await page.webgpuLstm.createBackend({ prefer: 'webgpu' });
      return page.benchBackend.adapter;
    });
    /** @type {(typeof runtimes)[number]} */
    const runtime = { name: `Chromium ${session.browserVersion} (in page)`, adapter, rows: [] };
    for (const shape of kShapes) {
      runtime.rows.push(
        await session.page.evaluate(
          (source, shape, stepCount, warmupCount) => {
            const page = /** @type {any} */ (window);
            return new Function(`return ${source}`)()(page.webgpuLstm, page.benchBackend, shape, stepCount, warmupCount);
          },
          measureStreaming.toString(), shape, steps, warmup,
        ),
      );
    }
    runtimes.push(runtime);
  } finally {
    await session.close();
  }
}

report.print(`per-step latency, ms: median and 99th percentile of ${steps} steps after ${warmup} warm-up steps\n`);
report.print('| runtime | (B, I, H) | stream.step (state on the GPU) | forward with h0/c0 via the CPU | speed-up (median) | max \\|diff\\| |');
report.print('|---|---|---|---|---|---|');
for (const runtime of runtimes) {
  runtime.rows.forEach(({ times, maxDiff }, k) => {
    const { batch, inputSize, hiddenSize } = kShapes[k];
    const cell = (v) => `${ms(percentile(v, 0.5))} (p99 ${ms(percentile(v, 0.99))})`;
    const speedUp = percentile(times.roundTrip, 0.5) / percentile(times.stream, 0.5);
    report.print(`| ${runtime.name} | (${batch}, ${inputSize}, ${hiddenSize}) | ${cell(times.stream)} | ${cell(times.roundTrip)} | ${speedUp.toFixed(2)}× | ${maxDiff.toExponential(1)} |`);
  });
}
for (const runtime of runtimes) report.print(`\n${runtime.name}: ${describeAdapter(runtime.adapter)}`);
report.writeIfAsked();

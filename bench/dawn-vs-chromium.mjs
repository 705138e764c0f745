// The fixed cost of a forward call, WebGPU through Dawn in Node against WebGPU in headless Chromium,
// measured side by side in one run on the same machine, model weights and inputs.
//
//   npm run build && node bench/dawn-vs-chromium.mjs [--reps 30] [--warmup 5]
//   (without a GPU: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node bench/dawn-vs-chromium.mjs)
//
// Each row: the median (and 10th–90th percentile) wall time of `runner.forward(x, { steps, batch })`
// over --reps calls after --warmup calls, timed where the caller sits: in Node for Dawn, in the
// page for Chromium (no DevTools round trip counted). Also the bare cost of an empty submit followed
// by onSubmittedWorkDone on each. Speed claims belong here, not in tests.
import { loadDist } from './lib/dist.mjs';
import { ensureDawnAdapter } from './lib/node-host.mjs';
import { sectionReport } from './lib/sections.mjs';

const { lib: { LSTM }, node } = await loadDist();
const { BrowserSession, createNodeBackend } = node;
await ensureDawnAdapter(node, (line) => console.error(line));
const report = sectionReport('dawn-vs-chromium', 'Fixed cost of a forward call: Dawn in Node against Chromium');

/**
 * (T, B, I, H, layers, bidirectional): the fixed-cost shape, then the bench's small shapes.
 * @type {[number, number, number, number, number, boolean][]}
 */
const kShapes = [
  [1, 1, 8, 8, 1, false],
  [8, 2, 8, 16, 1, false],
  [4, 2, 8, 16, 2, true],
  [100, 1, 32, 128, 1, false],
];

function flag(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} expects a positive integer`);
  return value;
}
const reps = flag('reps', 30);
const warmup = flag('warmup', 5);


/** Runs in Node and, serialised, in the page: times every call of `work`, after `warmup` untimed ones. */
async function timeCalls(work, warmupCalls, timedCalls) {
  for (let i = 0; i < warmupCalls; i++) await work();
  const times = [];
  for (let i = 0; i < timedCalls; i++) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  return times;
}

/**
 * One row: `shape` loaded on `backend` and timed through `lib` (the library's public API). Runs in
 * Node and, from its source text, in the page; shape null times an empty submit instead.
 */
async function measureRow(lib, backend, shape, warmupCalls, timedCalls, timeCallsSource) {
  const timeCallsFn = timeCallsSource ? new Function(`return ${timeCallsSource}`)() : timeCalls;
  if (shape === null) {
    const device = backend.device;
    return { times: await timeCallsFn(async () => {
      device.queue.submit([]);
      await device.queue.onSubmittedWorkDone();
    }, warmupCalls, timedCalls), stats: null };
  }
  const [T, B, I, H, layers, bidirectional] = shape;
  const model = lib.LSTM.random({ inputSize: I, hiddenSize: H, numLayers: layers, bidirectional, seed: 7 });
  const runner = await backend.load(model);
  const x = Float64Array.from({ length: T * B * I }, (_, i) => Math.sin(0.37 * i + 0.1));
  let stats = null;
  const times = await timeCallsFn(async () => {
    stats = (await runner.forward(x, { steps: T, batch: B })).stats;
  }, warmupCalls, timedCalls);
  runner.dispose();
  return { times, stats };
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
const ms = (v) => (v < 1 ? v.toFixed(3) : v.toFixed(2));
const cell = (times) => `${ms(percentile(times, 0.5))} (${ms(percentile(times, 0.1))}–${ms(percentile(times, 0.9))})`;
const label = ([T, B, I, H, layers, bi]) => `(${T}, ${B}, ${I}, ${H})${layers > 1 ? ` ${layers} layers` : ''}${bi ? ' bidirectional' : ''}`;

// Both runtimes open at once and take turns shape by shape, so a busy moment of the machine falls
// on both alike.
const dawnBackend = await createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
const session = await BrowserSession.open();
/** @typedef {{ times: number[], stats: any }} Row */
const dawn = { adapter: dawnBackend.adapter, rows: /** @type {Row[]} */ ([]) };
const chromium = { adapter: /** @type {any} */ (null), rows: /** @type {Row[]} */ ([]) };
try {
  chromium.adapter = await session.page.evaluate(async () => {
    window.benchBackend = await window.webgpuLstm.createBackend({ prefer: 'webgpu' });
    return window.benchBackend.adapter;
  });
  for (const shape of [null, ...kShapes]) {
    dawn.rows.push(await measureRow({ LSTM }, dawnBackend, shape, warmup, reps, null));
    chromium.rows.push(
      await session.page.evaluate(
        (shape, warmupCalls, timedCalls, measureSource, timeCallsSource) =>
          new Function(`return ${measureSource}`)()(window.webgpuLstm, window.benchBackend, shape, warmupCalls, timedCalls, timeCallsSource),
        shape, warmup, reps, measureRow.toString(), timeCalls.toString(),
      ),
    );
  }
} finally {
  await dawnBackend.close();
  await session.close();
}

const describeAdapter = (a) => `${a.vendor} ${a.architecture}${a.description ? ` (${a.description})` : ''}${a.isSoftware ? ', software' : ''}`;
report.print(`Dawn in Node (webgpu ${(await import('webgpu/package.json', { with: { type: 'json' } })).default.version}) on ${describeAdapter(dawn.adapter)}`);
report.print(`Chromium ${session.browserVersion} on ${describeAdapter(chromium.adapter)}`);
report.print(`medians of ${reps} calls after ${warmup} warm-up calls, ms (10th–90th percentile)\n`);
report.print('| (T, B, I, H) | Dawn in Node | Chromium (in page) | Chromium / Dawn | dispatches, submits, readbacks |');
report.print('|---|---|---|---|---|');
const [dawnSubmit, ...dawnRows] = dawn.rows;
const [chromiumSubmit, ...chromiumRows] = chromium.rows;
report.print(`| empty submit + onSubmittedWorkDone | ${cell(dawnSubmit.times)} | ${cell(chromiumSubmit.times)} | ${(percentile(chromiumSubmit.times, 0.5) / percentile(dawnSubmit.times, 0.5)).toFixed(1)}× | — |`);
dawnRows.forEach((row, k) => {
  const other = chromiumRows[k];
  const s = row.stats;
  const same = s.dispatches === other.stats.dispatches && s.submits === other.stats.submits && s.readbacks === other.stats.readbacks;
  const ratio = percentile(other.times, 0.5) / percentile(row.times, 0.5);
  report.print(`| ${label(kShapes[k])} | ${cell(row.times)} | ${cell(other.times)} | ${ratio.toFixed(1)}× | ${s.dispatches}, ${s.submits}, ${s.readbacks}${same ? '' : ` (Chromium: ${other.stats.dispatches}, ${other.stats.submits}, ${other.stats.readbacks})`} |`);
});
report.writeIfAsked();

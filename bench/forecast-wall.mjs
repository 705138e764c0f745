// The wall time of a whole default `forecast` run on the monthly US births series: webgpu-lstm's
// CLI on WebGPU through Dawn and on the CPU, against the same recipe in TensorFlow.js (webgpu and
// wasm, in the bench page): LSTM(50) + Dense(1) from the same initial weights (the library's Keras
// initialisation, seed 0), Adam lr 5e-3 with Keras's epsilon, mean squared error, 200 epochs in
// batches of 16, validation on the test windows after every epoch, then the one-step-ahead
// predictions of every window.
//
//   npm run build && node bench/forecast-wall.mjs [--cap SECONDS] [--epochs N] [--write]
//
// webgpu-lstm: `webgpu-lstm forecast --json` as a child process, its wall time (start-up, data,
// training, predictions, exit) and the seconds it reports itself (trainer start to last prediction).
// TensorFlow.js: model build to last prediction in the page, its backend started before. A
// TensorFlow.js run that passes --cap seconds (default 240) stops after that epoch, and its full
// time is extrapolated from its mean epoch time (marked so).
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadDist } from './lib/dist.mjs';
import { ensureDawnAdapter } from './lib/node-host.mjs';
import { sectionReport } from './lib/sections.mjs';
import { openBenchPage } from './lib/session.mjs';
import { kerasDenseWeights, kerasWeights } from './page/convert-weights.js';

const kRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function flag(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} expects a positive number`);
  return value;
}
const capSeconds = flag('cap', 240);
const epochsFlag = process.argv.includes('--epochs') ? flag('epochs', 200) : undefined;

const { lib, node } = await loadDist();
await ensureDawnAdapter(node, (line) => console.error(line));
const report = sectionReport('forecast-wall', 'Wall time of a default `forecast` run (monthly US births)');
const options = lib.resolveForecastOptions('default', epochsFlag ? { epochs: epochsFlag } : {});
const days = createRequire(import.meta.url)(lib.kBirthsPackage)();
const series = lib.monthlyBirths(days).values;
const data = lib.makeForecastData(series, options);

/** webgpu-lstm's CLI, timed as a whole process. @param {string[]} backendArgs */
async function runCli(backendArgs) {
  const args = [resolve(kRoot, 'dist/cli.js'), 'forecast', ...backendArgs, '--json', ...(epochsFlag ? ['--epochs', String(epochsFlag)] : [])];
  const start = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: kRoot, maxBuffer: 16 << 20 });
  const wall = (performance.now() - start) / 1000;
  const summary = JSON.parse(stdout.trim().split('\n').pop() ?? '');
  return { wall, seconds: summary.seconds, epochs: summary.epochs, testRmse: summary.test_rmse, trainRmse: summary.train_rmse, summary };
}

/** The series' values from scaled one-step predictions of a window set (as predictSeries does). */
function inSeriesUnits(prediction, set) {
  const { min, max } = data.scaler;
  return Float64Array.from(set.targets, (t, b) => lib.invertStep(options.transform, min + prediction[b] * (max - min), data.series[t - 1]));
}

/** The same recipe in TensorFlow.js on `backend`, in the page. */
async function runTfjs(page, backend) {
  const model = lib.forecastModel(options);
  const lstm = kerasWeights(lib, model, 0, 0);
  const dense = kerasDenseWeights(model, 0);
  const set = (s) => ({ x: Array.from(s.x), y: Array.from(s.y), count: s.targets.length });
  const run = {
    backend, threads: 2, window: options.window, units: options.units, lr: options.lr, epochs: options.epochs, batchSize: options.batchSize,
    capSeconds, train: set(data.train), test: set(data.test),
    weights: { kernel: Array.from(lstm.kernel), recurrent: Array.from(lstm.recurrent), bias: Array.from(lstm.bias), denseKernel: Array.from(dense.kernel), denseBias: Array.from(dense.bias) },
  };
  const result = await page.evaluate((r) => window.bench.forecastTfjs(r), run);
  const complete = result.epochs >= options.epochs;
  const meanEpoch = result.epochSeconds.reduce((a, b) => a + b, 0) / result.epochs;
  const truth = (s) => Float64Array.from(s.targets, (t) => data.series[t]);
  return {
    seconds: complete ? result.seconds : result.seconds + meanEpoch * (options.epochs - result.epochs),
    complete,
    epochs: result.epochs,
    testRmse: complete ? lib.rmse(inSeriesUnits(result.testPrediction, data.test), truth(data.test)) : null,
    trainRmse: complete ? lib.rmse(inSeriesUnits(result.trainPrediction, data.train), truth(data.train)) : null,
  };
}

/** @type {any[]} */
const rows = [];
const dawn = await runCli(['--backend', 'webgpu', '--runtime', 'dawn']);
rows.push({ name: 'webgpu-lstm, WebGPU on Dawn (CLI)', ...dawn });
const cpu = await runCli(['--backend', 'cpu']);
rows.push({ name: 'webgpu-lstm, CPU float64 (CLI)', ...cpu });
const bench = await openBenchPage();
try {
  for (const backend of /** @type {const} */ (['wasm', 'webgpu'])) {
    const r = await runTfjs(bench.page, backend);
    rows.push({ name: `TensorFlow.js ${backend} (page, ${bench.browserVersion})`, wall: null, ...r });
  }
} finally {
  await bench.close();
}

const s = (v) => (v == null ? '—' : v.toFixed(1));
const rmse = (v) => (v == null ? '—' : Math.round(v).toLocaleString('en-US'));
report.print(`recipe default: ${data.series.length} monthly values, ${data.train.targets.length} training windows, ${data.test.targets.length} test windows; LSTM(${options.units}) + Dense(1), window ${options.window}, transform ${options.transform}, ${options.epochs} epochs, batch ${options.batchSize}, Adam lr ${options.lr} (eps 1e-7); baselines: persistence ${rmse(dawn.summary.persistence_rmse)}, seasonal persistence ${rmse(dawn.summary.seasonal_rmse)}`);
report.print('');
report.print('| runtime | process wall (s) | training + predictions (s) | epochs run | test RMSE | train RMSE |');
report.print('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const seconds = r.complete === false ? `≈ ${s(r.seconds)} (extrapolated from ${r.epochs} epochs)` : s(r.seconds);
  report.print(`| ${r.name} | ${s(r.wall)} | ${seconds} | ${r.epochs} | ${rmse(r.testRmse)} | ${rmse(r.trainRmse)} |`);
}
report.print('');
report.print(`Process wall: the whole \`webgpu-lstm forecast --json\` process (Node start-up, data, device, training, predictions). Training + predictions: from the model's build to the last prediction (webgpu-lstm's own \`seconds\`; TensorFlow.js timed in the page). TensorFlow.js shuffles with its own generator, so its RMSEs differ a little from webgpu-lstm's.`);
report.print(`Dawn: ${dawn.summary.backend}; CPU: ${cpu.summary.backend}. ${process.env.VK_ICD_FILENAMES ? `VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}` : ''}`);
report.writeIfAsked();

// The first real-GPU figures in one command: `npm run bench:device` (docs/performance.md, "The
// cost model"). Through Dawn in Node on a hardware adapter, from a clean checkout:
//   1. installs the dev dependencies (npm ci) and builds (npm run build) where they are missing;
//   2. refuses, in seconds and with exit code 2, when Dawn finds no adapter or only a software one;
//   3. runs the GPU parts of the test suite (forward, large H, training, streaming) on that adapter;
//   4. times the forward grid plus H = 512, 1024, 2048 at B = 1 and 64 for every recurrence path,
//      each beside the cost model's prediction (runner.plan);
//   5. times the training shapes (bench/train-step-dawn.mjs);
//   6. times ONNX Runtime Web's WebGPU provider in the same process on Dawn, or says why it cannot;
// and writes bench/results/device/report.json and report.md. Every section has a time budget, so
// the whole run stays under 8 minutes; a section that runs out says so in the report.
//
//   npm run bench:device [-- --dry-run] [-- --out DIR]
//
// Only Node's own modules are imported before step 1, so the script runs before `npm ci`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const kRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const outDir = resolve(kRoot, args.includes('--out') ? args[args.indexOf('--out') + 1] : 'bench/results/device');
const started = Date.now();
/** The whole run's budget (ms): 8 minutes less a margin for writing the report. */
const kBudgetMs = 7.5 * 60_000;

/** The GPU test files run on the hardware adapter (each against the float64 reference or fixtures). */
const kTestFiles = ['test/dawn/property.test.ts', 'test/dawn/large-hidden.test.ts', 'test/dawn/grid.test.ts', 'test/dawn/train-steps.test.ts', 'test/dawn/train-gradients.test.ts', 'test/dawn/stream.test.ts'];
/** Recurrence paths timed at each shape ('auto' is the cost model's pick). */
const kPaths = ['auto', 'sequence', 'steps', 'spread-subgroup', 'spread-workgroup'];
const kLargeShapes = [512, 1024, 2048].flatMap((H) => [1, 64].map((B) => ({ batch: B, steps: 100, inputSize: 32, hiddenSize: H, layers: 1, bidirectional: false })));
const kSections = [
  { name: 'install', budgetS: 150, what: 'npm ci --no-audit --no-fund where node_modules is missing; npm run build where dist/ is missing' },
  { name: 'adapter', budgetS: 30, what: 'Dawn adapter probe: exit 2 when there is none or it is a software adapter' },
  { name: 'tests', budgetS: 150, what: `vitest run ${kTestFiles.join(' ')} (JSON reporter)` },
  { name: 'forward', budgetS: 120, what: `forward grid (bench/lib/grid.mjs kFullGrid) + H = 512, 1024, 2048 at B = 1 and 64 (T = 100, I = 32), paths ${kPaths.join(', ')}; median of 5 calls and per-step time (t(T) − t(1)) / (T − 1), beside runner.plan's prediction` },
  { name: 'training', budgetS: 60, what: 'node bench/train-step-dawn.mjs --steps 3 (issue 13 training shapes)' },
  { name: 'ort', budgetS: 40, what: 'onnxruntime-web WebGPU provider on Dawn (navigator.gpu = Dawn), the forward grid\'s single-layer shapes' },
];

if (dryRun) {
  console.log('npm run bench:device — plan (nothing is run with --dry-run):');
  for (const s of kSections) console.log(`  ${s.name.padEnd(9)} ≤ ${String(s.budgetS).padStart(3)} s  ${s.what}`);
  console.log(`  report    ${resolve(outDir, 'report.json')} and report.md`);
  console.log(`  total budget ${kBudgetMs / 60_000} min; without a hardware adapter it stops at 'adapter' with exit code 2`);
  process.exit(0);
}

const report = { startedAt: new Date(started).toISOString(), sections: {} };
const remainingMs = () => kBudgetMs - (Date.now() - started);
const log = (text) => console.log(`[bench:device ${((Date.now() - started) / 1000).toFixed(0)} s] ${text}`);

// 1. Install and build.
if (!existsSync(resolve(kRoot, 'node_modules/webgpu'))) {
  log('npm ci');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: kRoot, stdio: 'inherit', timeout: 150_000 });
}
if (!existsSync(resolve(kRoot, 'dist/node.js'))) {
  log('npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: kRoot, stdio: 'inherit', timeout: 120_000 });
}

// 2. The adapter, probed in a child (a hung driver cannot hang this process).
const probe = `const { create } = await import('webgpu'); const a = await create([]).requestAdapter();
if (!a) { console.log(JSON.stringify(null)); process.exit(0); }
console.log(JSON.stringify({ ...Object.fromEntries(['vendor','architecture','device','description','subgroupMinSize','subgroupMaxSize'].map((k) => [k, a.info[k]])), features: [...a.features], fallback: a.info.isFallbackAdapter ?? false })); process.exit(0);`;
const probed = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: kRoot, encoding: 'utf8', timeout: 30_000 });
const adapter = probed.status === 0 ? JSON.parse(probed.stdout.trim().split('\n').at(-1) || 'null') : null;
const software = adapter && (adapter.fallback || /swiftshader|llvmpipe|lavapipe|warp|basic render/i.test(`${adapter.vendor} ${adapter.architecture} ${adapter.device} ${adapter.description}`));
if (!adapter || software) {
  console.error(`bench:device: ${adapter ? `Dawn's adapter is a software one (${adapter.vendor} ${adapter.architecture} ${adapter.description})` : `Dawn found no GPU adapter${probed.stderr ? ` (${probed.stderr.trim().split('\n').at(-1)})` : ''}`}; this benchmark needs a hardware GPU with a Vulkan, D3D12 or Metal driver. npm run bench measures the software adapter.`);
  process.exit(2);
}
report.adapter = adapter;
log(`adapter: ${adapter.vendor} ${adapter.architecture} ${adapter.device} ${adapter.description}`);

// 3. The GPU tests, on this adapter (dawn-env.ts keeps the system driver when it serves Dawn).
{
  const file = resolve(outDir, 'tests.json');
  mkdirSync(outDir, { recursive: true });
  const run = spawnSync('npx', ['vitest', 'run', ...kTestFiles, '--reporter=json', `--outputFile=${file}`], { cwd: kRoot, encoding: 'utf8', timeout: Math.min(150_000, remainingMs()) });
  let summary = { exitCode: run.status, timedOut: /** @type {any} */ (run.error)?.code === 'ETIMEDOUT' };
  if (existsSync(file)) {
    const json = JSON.parse((await import('node:fs')).readFileSync(file, 'utf8'));
    summary = { ...summary, passed: json.numPassedTests, failed: json.numFailedTests, total: json.numTotalTests, failures: json.testResults.flatMap((r) => r.assertionResults.filter((a) => a.status === 'failed').map((a) => `${r.name.replace(kRoot + '/', '')}: ${a.fullName}`)) };
  }
  report.sections.tests = summary;
  log(`tests: ${JSON.stringify(summary)}`);
}

// 4. The forward grid and large H, every path, beside the cost model.
const { kFullGrid } = await import(pathToFileURL(resolve(kRoot, 'bench/lib/grid.mjs')).href);
const lib = await import(pathToFileURL(resolve(kRoot, 'dist/index.js')).href);
const { createNodeBackend } = await import(pathToFileURL(resolve(kRoot, 'dist/node.js')).href);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
{
  const deadline = Date.now() + Math.min(120_000, remainingMs() - 100_000);
  const backend = await createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
  const rows = [];
  for (const shape of [...kFullGrid, ...kLargeShapes]) {
    const { batch: B, steps: T, inputSize: I, hiddenSize: H, layers: L, bidirectional } = shape;
    const model = lib.LSTM.random({ inputSize: I, hiddenSize: H, numLayers: L, bidirectional, seed: 7 });
    for (const recurrence of kPaths) {
      const row = { B, T, I, H, L, bidirectional, recurrence };
      if (Date.now() > deadline) { rows.push({ ...row, skipped: 'the forward section ran out of its time budget' }); continue; }
      let runner;
      try {
        runner = await backend.load(model, { recurrence });
      } catch (error) {
        rows.push({ ...row, unavailable: /** @type {Error} */ (error).message });
        continue;
      }
      const plan = runner.plan({ batch: B });
      const time = async (steps, reps) => {
        const x = Float64Array.from({ length: steps * B * I }, (_, i) => Math.sin(0.37 * i));
        await runner.forward(x, { steps, batch: B });
        const times = [];
        for (let r = 0; r < reps; r++) {
          const start = performance.now();
          await runner.forward(x, { steps, batch: B });
          times.push(performance.now() - start);
        }
        return median(times);
      };
      const callMs = await time(T, 5);
      const oneMs = await time(1, 5);
      const predictedStepUs = plan.predictions.find((p) => p.kernel === plan.kernel)?.stepUs ?? null;
      rows.push({ ...row, kernel: plan.kernel, callMs: +callMs.toFixed(3), measuredStepUs: +(((callMs - oneMs) / (T - 1) / (L * (bidirectional ? 2 : 1))) * 1000).toFixed(2), predictedStepUs: predictedStepUs && +predictedStepUs.toFixed(2), reason: plan.reason });
      runner.dispose();
    }
  }
  await backend.close();
  report.sections.forward = rows;
  log(`forward: ${rows.length} rows`);
}

// 5. Training shapes.
{
  const run = spawnSync(process.execPath, ['bench/train-step-dawn.mjs', '--steps', '3'], { cwd: kRoot, encoding: 'utf8', timeout: Math.max(1_000, Math.min(60_000, remainingMs() - 45_000)) });
  report.sections.training = { exitCode: run.status, timedOut: /** @type {any} */ (run.error)?.code === 'ETIMEDOUT', lines: run.stdout.trim().split('\n').filter(Boolean) };
  log(`training: ${report.sections.training.lines.length} lines`);
}

// 6. ONNX Runtime Web's WebGPU provider on Dawn, in this process.
{
  const rows = [];
  try {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    Object.defineProperty(globalThis, 'navigator', { value: { ...(globalThis.navigator ?? {}), gpu: create([]) }, configurable: true });
    const ort = await import('onnxruntime-web/webgpu');
    const { lstmModelBytes } = await import(pathToFileURL(resolve(kRoot, 'bench/page/onnx/lstm-model.js')).href);
    const deadline = Date.now() + Math.min(40_000, remainingMs() - 5_000);
    for (const shape of kFullGrid.filter((s) => s.layers === 1)) {
      if (Date.now() > deadline) { rows.push({ ...shape, skipped: 'out of time' }); continue; }
      const { batch: B, steps: T, inputSize: I, hiddenSize: H } = shape;
      const random = (n) => Float32Array.from({ length: n }, (_, i) => Math.sin(0.7 * i) * 0.1);
      const session = await ort.InferenceSession.create(lstmModelBytes({ ...shape, bidirectional: false }, [{ W: random(4 * H * I), R: random(4 * H * H), B: random(8 * H) }]), { executionProviders: ['webgpu'], extra: { session: { disable_cpu_ep_fallback: '1' } } });
      const feeds = { X: new ort.Tensor('float32', random(T * B * I), [T, B, I]) };
      await session.run(feeds);
      const times = [];
      for (let r = 0; r < 5; r++) {
        const start = performance.now();
        await session.run(feeds);
        times.push(performance.now() - start);
      }
      rows.push({ B, T, I, H, callMs: +median(times).toFixed(3) });
      await session.release();
    }
    report.sections.ort = { runs: true, rows };
  } catch (error) {
    report.sections.ort = { runs: false, why: `onnxruntime-web's WebGPU provider did not run on Dawn in Node: ${/** @type {any} */ (error)?.message ?? String(error)}`, rows };
  }
  log(`ort: ${report.sections.ort.runs ? `${rows.length} rows` : report.sections.ort.why}`);
}

report.wallS = +((Date.now() - started) / 1000).toFixed(1);
mkdirSync(outDir, { recursive: true });
writeFileSync(resolve(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(resolve(outDir, 'report.md'), markdown(report));
log(`wrote ${resolve(outDir, 'report.json')} and report.md in ${report.wallS} s`);
process.exit(report.sections.tests?.failed ? 1 : 0);

function markdown(r) {
  const a = r.adapter;
  const lines = [`# bench:device — ${a.vendor} ${a.architecture} ${a.device} ${a.description}`.trim(), '', `Started ${r.startedAt}, ${r.wallS} s in all. Subgroups ${a.subgroupMinSize ?? '?'}–${a.subgroupMaxSize ?? '?'} lanes; shader-f16 ${a.features.includes('shader-f16') ? 'yes' : 'no'}.`, ''];
  const t = r.sections.tests;
  lines.push('## GPU tests', '', t.total ? `${t.passed} of ${t.total} passed${t.failed ? `; failed: ${t.failures.join('; ')}` : ''}` : `no report (exit ${t.exitCode}${t.timedOut ? ', timed out' : ''})`, '');
  lines.push('## Forward: measured against the cost model', '', '| B | T | I | H | L | path | kernel | call ms | µs/step measured | µs/step predicted |', '| ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |');
  for (const row of r.sections.forward ?? []) {
    const rest = row.kernel ? `${row.kernel} | ${row.callMs} | ${row.measuredStepUs} | ${row.predictedStepUs ?? '—'}` : `${row.unavailable ?? row.skipped} | | | `;
    lines.push(`| ${row.B} | ${row.T} | ${row.I} | ${row.H} | ${row.L}${row.bidirectional ? ' bi' : ''} | ${row.recurrence} | ${rest} |`);
  }
  lines.push('', '## Training', '', '```', ...(r.sections.training?.lines ?? []), '```', '', '## ONNX Runtime Web, WebGPU provider on Dawn', '');
  if (r.sections.ort.runs) {
    lines.push('| B | T | I | H | call ms |', '| ---: | ---: | ---: | ---: | ---: |', ...r.sections.ort.rows.map((row) => `| ${row.B} | ${row.T} | ${row.I} | ${row.H} | ${row.callMs ?? row.skipped} |`));
  } else lines.push(r.sections.ort.why);
  return `${lines.join('\n')}\n`;
}

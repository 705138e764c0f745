// One run of the bench: open the page, print where it runs, measure the roofline, time every shape,
// then tabulate, check the targets and write the outputs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { environmentLines, rooflineLines, wasmRooflineLines } from './environment.mjs';
import { kNodeBackendIds } from '../page/backend-ids.js';
import { kAdam } from '../page/train-settings.js';
import { formatError, formatMs, formatNumber, formatRatio } from './format.mjs';
import { shapeLabel } from './grid.mjs';
import { addSpeedups, applyPeaks, kSubject, makeRow } from './metrics.mjs';
import { openNodeHost } from './node-host.mjs';
import { findTorch } from './torch-trainer.mjs';
import { writeOutputs } from './outputs.mjs';
import { kCheckSteps, kLossTolerance, kWarmUpMs, kWarmUpSteps, nodeCaller, pageCaller, runShape } from './protocol.mjs';
import { openBenchPage } from './session.mjs';
import { evaluateTargets } from './targets.mjs';
import { renderTerminal } from './terminal.mjs';

const kNodeModules = resolve(dirname(fileURLToPath(import.meta.url)), '../../node_modules');

/** The library's commit, and whether its source differs from it (src/ or shaders/ edited). */
function sourceVersion() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: resolve(kNodeModules, '..'), encoding: 'utf8' }).trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), source_modified: git('status', '--porcelain', '--', 'src', 'shaders') !== '' };
  } catch {
    return null; // not a git checkout
  }
}

/** Installed versions of the peers. */
function peerVersions() {
  const version = (name) => JSON.parse(readFileSync(resolve(kNodeModules, name, 'package.json'), 'utf8')).version;
  return { '@tensorflow/tfjs': version('@tensorflow/tfjs'), 'onnxruntime-web': version('onnxruntime-web') };
}

/** PyTorch's version where the bench found a Python with torch, else why not (its rows say the same). */
function torchVersion() {
  const torch = findTorch();
  return 'error' in torch ? { error: torch.error } : { version: torch.version, python: torch.python };
}

/** The progress line of one backend × shape. */
function cellLine(index, total, label, row) {
  const head = `[${String(index).padStart(String(total).length)}/${total}] ${label} ${row.backend}`;
  if (row.status === 'error') return `${head}: error: ${row.error}`;
  if (row.status === 'mismatch') return `${head}: MISMATCH, max ${row.task === 'train' ? 'rel. loss err' : '|err|'} ${formatError(row.task === 'train' ? row.max_rel_loss_err_vs_cpu : row.max_abs_err_vs_cpu)}: not timed`;
  if (row.status === 'over budget') return `${head}: OVER BUDGET, ${row.task === 'train' ? `median of the warm check steps ${formatMs(row.median_ms)}` : `one run of ${formatMs(row.median_ms)}`}`;
  const speedup = row.backend !== kSubject && row.speedup_of_webgpu_lstm ? `; webgpu-lstm/webgpu ${formatRatio(row.speedup_of_webgpu_lstm)} its speed` : '';
  return `${head}: median ${formatMs(row.median_ms)} (${row.reps} run${row.reps === 1 ? '' : 's'}, ${formatMs(row.min_ms)}–${formatMs(row.max_ms)}), ${formatNumber(row.gflops)} GFLOP/s${speedup}`;
}

/**
 * Measures the FMA peak again after the shapes: on a shared machine one measurement can land in a
 * busy moment, and a peak is the best the adapter showed. Keeps both samples.
 */
async function remeasureFmaPeak(page, roofline, config, log) {
  const again = await page.evaluate((c) => window.bench.fmaPeak(c), config);
  roofline.fma_samples_gflops = [roofline.fma.gflops, again.gflops];
  if (again.gflops > roofline.fma.gflops) roofline.fma = again;
  log(`FMA peak measured again after the shapes: ${formatNumber(again.gflops)} GFLOP/s; the peak is the best of both, ${formatNumber(roofline.fma.gflops)}`);
}

/**
 * @param {import('./args.mjs').BenchOptions} options
 * @param {{ log?: (line: string) => void, command?: string }} [io]
 * @returns {Promise<any>} the result written to latest.json
 */
export async function runBench(options, io = {}) {
  const log = io.log ?? ((line) => console.log(line));
  const bench = await openBenchPage();
  try {
    const env = await bench.page.evaluate((config) => window.bench.environment(config), { threads: options.threads });
    const wantsNode = [...options.backends, ...options.trainBackends].some((id) => kNodeBackendIds.includes(id));
    const nodeSide = wantsNode ? await openNodeHost({ threads: options.threads }, log) : null;
    const sides = { page: pageCaller(bench.page), node: nodeSide ? nodeCaller(nodeSide.host) : null, nodeError: null };
    /** @type {any} the result file, whose parts are typed where they are made */
    const result = {
      date: new Date().toISOString(),
      command: io.command ?? 'npm run bench',
      library: sourceVersion(),
      quick: options.quick,
      adapter: env.adapter,
      environment: {
        adapter: env.adapter,
        browser: bench.browserVersion,
        user_agent: env.userAgent,
        hardware_concurrency: env.hardwareConcurrency,
        cross_origin_isolated: env.crossOriginIsolated,
        dawn: !nodeSide ? null : nodeSide.dawnError ? { error: nodeSide.dawnError } : { adapter: nodeSide.adapter, webgpu_package: nodeSide.webgpu },
        torch: torchVersion(),
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
      },
      peers: peerVersions(),
      protocol: {
        reps: options.reps,
        budget_s: options.budgetMs / 1000,
        warmup_runs: 1,
        wasm_threads: options.threads,
        interleaved: true,
        timed_region: 'one forward call: upload of x, compute, readback of the full output',
        tasks: options.tasks,
        train: options.tasks.includes('train')
          ? {
              timed_region: 'one training step on the whole batch (forward, MSE loss, backward, Adam update), upload of x and y and readback of the loss included',
              check_steps: kCheckSteps,
              warm_up_steps: kWarmUpSteps,
              warm_up_ms: kWarmUpMs,
              loss_tolerance_relative: kLossTolerance,
              adam: kAdam,
              single_bias: true,
              flops: '3 × the forward\'s 2·B·T·4H·(I+H) per layer and direction',
            }
          : null,
      },
      roofline: null,
      wasm_roofline: null,
      rows: [],
      targets: [],
    };
    environmentLines(result).forEach((line) => log(line));

    if (options.roofline) {
      log('Measuring the roofline…');
      result.roofline = await bench.page.evaluate((config) => window.bench.roofline(config), options.roofline);
      rooflineLines(result.roofline).forEach((line) => log(line));
      log('Measuring the wasm roofline (page and Node)…');
      const config = { threads: options.threads, targetMs: options.roofline.fmaTargetMs, gemmSize: 512, repeats: options.roofline.repeats };
      result.wasm_roofline = {
        page: await bench.page.evaluate((c) => window.bench.wasmRoofline(c), config),
        node: nodeSide ? await nodeSide.wasmRoofline(config) : null,
      };
      wasmRooflineLines(result.wasm_roofline).forEach((line) => log(line));
    }
    const plan = [
      ...(options.tasks.includes('forward') ? options.shapes.map((shape) => ({ shape, task: /** @type {const} */ ('forward'), backends: options.backends })) : []),
      ...(options.tasks.includes('train') ? options.trainShapes.map((shape) => ({ shape, task: /** @type {const} */ ('train'), backends: options.trainBackends })) : []),
    ];
    const total = plan.reduce((n, cell) => n + cell.backends.length, 0);
    let done = 0;
    for (const { shape, task, backends } of plan) {
      const label = `${shapeLabel(shape)}${task === 'train' ? ' training step' : ''}`;
      const load = loadavg();
      log(`${label}: (load average ${load.map((v) => v.toFixed(2)).join(', ')})`);
      /** @type {import('./protocol.mjs').Cell[]} */
      let cells;
      try {
        cells = await runShape(sides, shape, task, { ...options, backends }, log);
      } catch (error) {
        // The reference itself failed: every backend of the shape is reported, none dropped.
        cells = backends.map((backend) => ({ backend, status: /** @type {const} */ ('error'), note: null, error: `the shape could not be prepared: ${error instanceof Error ? error.message : error}`, first_result_ms: null, first_call_ms: null, warmup_ms: 0, times_ms: [], max_abs_err_vs_cpu: null, losses: null, max_rel_loss_err_vs_cpu: null, stats: null }));
      }
      const rows = addSpeedups(cells.map((cell) => ({ ...makeRow(shape, cell, task), load_avg: load })));
      for (const row of rows) log(cellLine(++done, total, label, row));
      result.rows.push(...rows);
      // What is measured so far, in case the run is stopped before the end (marked partial).
      if (!options.quick) writeOutputs({ ...result, partial: true, targets: evaluateTargets(result.rows, { fmaGflops: result.roofline?.fma.gflops ?? null, wasm: result.wasm_roofline, threads: options.threads }) }, options.outputs);
    }
    result.protocol.wasm_threads_reported = await bench.page.evaluate(() => window.bench.wasmThreads());
    if (result.roofline) await remeasureFmaPeak(bench.page, result.roofline, options.roofline, log);
    const peaks = { fmaGflops: result.roofline?.fma.gflops ?? null, gemmGflops: result.roofline?.gemm.gflops ?? null, wasm: result.wasm_roofline, threads: options.threads };
    applyPeaks(result.rows, peaks);
    result.targets = evaluateTargets(result.rows, peaks);
    result.page_errors = bench.pageErrors().slice(0, 20);
    log('');
    log(renderTerminal(result));
    writeOutputs(result, options.outputs);
    log('');
    log(`Wrote ${Object.values(options.outputs).join(', ')}`);
    return result;
  } finally {
    await bench.close();
  }
}

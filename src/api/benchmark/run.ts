// benchmark()'s body, for any way of opening the engines (the browser's createBackend, Node's
// createNodeBackend): open each engine once, then per shape check every engine's first result
// against the float64 reference and time the ones that pass in interleaved rounds.
import { LstmError } from '../../core/errors.js';
import { LSTM } from '../../model/lstm.js';
import { SeededRandom } from '../../model/random.js';
import type { Backend, Runner } from '../backend.js';
import { compareResults } from '../compare.js';
import { referenceResult } from '../runner.js';
import { describeCrossover } from './crossover.js';
import { checkOptions, resolveShapes, type CheckedOptions } from './options.js';
import { forwardFlops, summarizeTimes, timeInterleaved, type TimingOutcome } from './protocol.js';
import type { BenchmarkOptions, BenchmarkResult, BenchmarkRow, BenchmarkShape, EngineAvailability, EngineName, ResolvedShape } from './types.js';

/** An open backend and what closes it (a Node backend may have a browser to wait for). */
export interface OpenedEngine {
  readonly backend: Backend;
  close(): Promise<void>;
}

/** How this platform opens each engine; `wasm(undefined)` is the engine's default thread count. */
export interface EngineOpeners {
  webgpu(): Promise<OpenedEngine>;
  wasm(threads: number | undefined): Promise<OpenedEngine>;
  cpu(): Promise<OpenedEngine>;
}

interface Engine extends EngineAvailability {
  readonly opened: OpenedEngine | null;
}

const kTimedRegion = 'one forward call (runner.forward): upload of x, compute, readback of output, h_n and c_n';

const message = (error: unknown): string => (error instanceof LstmError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error));

const wasmId = (threads: number): string => `wasm-${threads}t`;

/** Opens every engine asked for; one that cannot open here is absent, with its reason. */
async function openEngines(openers: EngineOpeners, o: CheckedOptions): Promise<Engine[]> {
  const engines: Engine[] = [];
  const attempt = async (id: string, engine: EngineName, threads: number | null, open: () => Promise<OpenedEngine>) => {
    try {
      const opened = await open();
      const adapter = opened.backend.adapter;
      const entry = { id, engine, threads, available: true, reason: opened.backend.reason, softwareAdapter: adapter?.isSoftware ?? false, opened };
      engines.push(entry);
      return entry;
    } catch (error) {
      engines.push({ id, engine, threads, available: false, reason: message(error), softwareAdapter: false, opened: null });
      return null;
    }
  };
  for (const engine of o.engines) {
    if (engine === 'webgpu') await attempt('webgpu', 'webgpu', null, () => openers.webgpu());
    if (engine === 'cpu') await attempt('cpu', 'cpu', null, () => openers.cpu());
    if (engine !== 'wasm') continue;
    for (const threads of o.threads) await attempt(wasmId(threads), 'wasm', threads, () => openers.wasm(threads));
    if (!o.allThreads) continue;
    // "All threads" is the engine's default count, known once it is open.
    const opened = await openers.wasm(undefined).catch(() => null);
    const threads = (opened?.backend as { threads?: number } | undefined)?.threads;
    if (!opened || threads === undefined) continue; // the explicit counts' rows already say why the engine is absent
    if (o.threads.includes(threads)) {
      await opened.close();
      engines.push({ id: 'wasm-all', engine: 'wasm', threads, available: false, reason: `all threads is ${threads} here: timed once, as ${wasmId(threads)} (${opened.backend.reason})`, softwareAdapter: false, opened: null });
    } else {
      engines.push({ id: wasmId(threads), engine: 'wasm', threads, available: true, reason: opened.backend.reason, softwareAdapter: false, opened });
    }
  }
  return engines;
}

/** Uniform values in [−1, 1), seeded: x [T, B, I]. */
function seededInput(n: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.next() * 2 - 1;
  return x;
}

interface Cell {
  readonly engine: Engine;
  runner: Runner | null;
  row: Omit<BenchmarkRow, 'timesMs' | 'medianMs' | 'minMs' | 'maxMs' | 'gflops'>;
}

/** Times one shape on every available engine; returns its rows in engine order. */
async function runShape(model: LSTM, shape: ResolvedShape, engines: readonly Engine[], o: CheckedOptions, progress: (message: string, steps: number) => void): Promise<BenchmarkRow[]> {
  const x = seededInput(shape.steps * shape.batch * shape.inputSize, o.seed + 1);
  const forward = { steps: shape.steps, batch: shape.batch };
  const reference = referenceResult(model, x, forward);
  const base = { shape, firstResultMs: null, verified: null };
  const cells: Cell[] = engines
    .filter((e) => e.id !== 'wasm-all')
    .map((engine) => ({ engine, runner: null, row: { ...base, id: engine.id, engine: engine.engine, threads: engine.threads, status: engine.available ? 'ok' : 'absent', note: engine.available ? null : engine.reason } }));
  try {
    for (const cell of cells.filter((c) => c.engine.opened)) {
      const label = cell.engine.id;
      try {
        const start = performance.now();
        cell.runner = await cell.engine.opened!.backend.load(model);
        const result = await cell.runner.forward(x, forward);
        const firstResultMs = performance.now() - start;
        const report = compareResults(model.config, reference, result, o.tolerance);
        const verified = { maxAbs: report.maxAbs, maxRel: Math.max(report.output.maxRel, report.hN.maxRel, report.cN.maxRel), passed: report.passed };
        cell.row = { ...cell.row, firstResultMs, verified };
        if (!report.passed) cell.row = { ...cell.row, status: 'mismatch', note: `${report.output.failures + report.hN.failures + report.cN.failures} values outside |${cell.engine.engine} − reference| ≤ ${o.tolerance.atol} + ${o.tolerance.rtol}·|reference| (max abs ${report.maxAbs.toExponential(2)}): not timed` };
        else if (firstResultMs > o.budgetMs) cell.row = { ...cell.row, status: 'over budget', note: `the first result alone took ${firstResultMs.toFixed(0)} ms, over the ${o.budgetMs} ms budget: not timed` };
        progress(`${label}: first result ${firstResultMs.toFixed(1)} ms, max abs error ${report.maxAbs.toExponential(1)}`, cell.row.status === 'ok' ? 1 : 1 + o.reps);
      } catch (error) {
        cell.row = { ...cell.row, status: 'error', note: message(error) };
        progress(`${label}: ${cell.row.note}`, 1 + o.reps);
      }
      if (cell.row.status !== 'ok') {
        cell.runner?.dispose();
        cell.runner = null;
      }
    }
    const timed = cells.filter((c) => c.runner);
    const outcomes = await timeInterleaved(
      timed.map((c) => ({ id: c.engine.id, warmupMs: c.row.firstResultMs! })),
      o,
      async (id) => {
        const runner = timed.find((c) => c.engine.id === id)!.runner!;
        const start = performance.now();
        await runner.forward(x, forward);
        return performance.now() - start;
      },
      // An engine that stops early leaves steps undone; the shape's end snaps the count.
      (r) => progress(`round ${r.round + 1}/${o.reps}`, r.timed.length),
    );
    return cells.map((cell) => finishRow(cell, outcomes.get(cell.engine.id), o));
  } finally {
    for (const cell of cells) cell.runner?.dispose();
  }
}

function finishRow(cell: Cell, outcome: TimingOutcome | undefined, o: CheckedOptions): BenchmarkRow {
  const timesMs = outcome?.timesMs ?? [];
  const summary = summarizeTimes(timesMs);
  let { status, note } = cell.row;
  if (outcome?.stop === 'error') [status, note] = ['error', outcome.error];
  else if (outcome?.stop === 'budget') note = `the ${o.budgetMs} ms budget allowed ${timesMs.length} of ${o.reps} timed runs`;
  return {
    ...cell.row,
    status,
    note,
    timesMs,
    medianMs: summary?.medianMs ?? null,
    minMs: summary?.minMs ?? null,
    maxMs: summary?.maxMs ?? null,
    gflops: summary ? forwardFlops(cell.row.shape) / summary.medianMs / 1e6 : null,
  };
}

/** benchmark() over the given openers. */
export async function runBenchmark(model: LSTM | null, shapes: readonly BenchmarkShape[], options: BenchmarkOptions | undefined, openers: EngineOpeners): Promise<BenchmarkResult> {
  if (model !== null && !(model instanceof LSTM)) throw new LstmError('INVALID_ARGUMENT', `model: expected an LSTM (LSTM.random, LSTM.fromJSON, loadModelFile …) or null for a seeded random one per shape, got ${typeof model}`);
  const o = checkOptions(options);
  const resolved = resolveShapes(model, shapes);
  o.onProgress({ done: 0, total: 0, shape: null, message: 'opening the engines' });
  const engines = await openEngines(openers, o);
  try {
    const timedEngines = engines.filter((e) => e.available).length;
    const total = resolved.length * timedEngines * (1 + o.reps);
    let done = 0;
    const rows: BenchmarkRow[] = [];
    for (const shape of resolved) {
      const shapeModel = model ?? LSTM.random({ inputSize: shape.inputSize, hiddenSize: shape.hiddenSize, seed: o.seed });
      const startedAt = done;
      const shapeRows = await runShape(shapeModel, shape, engines, o, (text, steps) => {
        done = Math.min(done + steps, startedAt + timedEngines * (1 + o.reps));
        o.onProgress({ done, total, shape, message: text });
      });
      done = startedAt + timedEngines * (1 + o.reps);
      rows.push(...shapeRows);
      o.onProgress({ done, total, shape, message: 'shape done' });
    }
    const software = engines.some((e) => e.engine === 'webgpu' && e.softwareAdapter);
    return {
      rows,
      engines: engines.map(({ opened: _opened, ...availability }) => availability),
      crossover: describeCrossover(rows, software),
      protocol: { reps: o.reps, budgetMs: o.budgetMs, warmupRuns: 1, interleaved: true, tolerance: o.tolerance, timedRegion: kTimedRegion },
    };
  } finally {
    for (const engine of engines) await engine.opened?.close();
  }
}

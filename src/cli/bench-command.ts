// `webgpu-lstm bench`: benchmark() from the terminal — every engine here on the user's model (or a
// seeded random one per shape), a table and the GPU/CPU crossover in words; --json for scripts.
import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';
import { modelFromJSON } from '../formats/model-json.js';
import type { LSTM } from '../model/lstm.js';
import { benchmark } from '../node/benchmark.js';
import type { NodeRuntime } from '../node/node-backend.js';
import { kEngineNames, type BenchmarkResult, type BenchmarkRow, type BenchmarkShape, type EngineName } from '../api/benchmark/types.js';
import { numberFlag, threadCountsFlag, type ParsedArgs } from './args.js';
import { kDefaultMaxBytes, readJSON, type Print } from './commands.js';
import { lstmModelFile } from './lstm-files.js';
import { stepProgress } from './progress-bar.js';

export const kBenchFlags = ['model', 'from', 'shapes', 'engines', 'threads', 'reps', 'budget', 'seed', 'runtime', 'max-bytes', 'json'];

/** Without --shapes: B = 1, 16, 64 at T = 100 — where a crossover in B usually shows — with I = 32, H = 128 for a random model. */
export const kDefaultBenchShapes = '1,100,32,128 16,100,32,128 64,100,32,128';

/** "B,T,I,H B,T,I,H …" (space- or semicolon-separated); with --model, B,T is enough. */
function parseShapes(text: string, model: LSTM | null): BenchmarkShape[] {
  const items = text.split(/[\s;]+/).filter(Boolean);
  if (items.length === 0) throw invalidArgument('bench: --shapes expects one or more B,T,I,H (for example "1,100,32,128 16,100,32,128")');
  return items.map((item) => {
    const parts = item.split(',').map((p) => Number(p));
    const wanted = model ? 'B,T or B,T,I,H' : 'B,T,I,H';
    if (!(parts.length === 4 || (model && parts.length === 2)) || parts.some((p) => !Number.isInteger(p) || p < 1)) {
      throw invalidArgument(`bench: --shapes: ${JSON.stringify(item)} is not ${wanted} with positive integers${model ? '' : ' (without --model, I and H size the random model)'}`);
    }
    const [batch, steps, inputSize, hiddenSize] = parts;
    return parts.length === 4 ? { batch, steps, inputSize, hiddenSize } : { batch, steps };
  });
}

function parseEngines(text: string | undefined): EngineName[] | undefined {
  if (text === undefined) return undefined;
  const engines = text.split(',').filter(Boolean);
  const bad = engines.filter((e) => !(kEngineNames as readonly string[]).includes(e));
  if (engines.length === 0 || bad.length) throw invalidArgument(`bench: --engines expects a comma-separated list of ${kEngineNames.join(', ')}, got ${describeValue(text)}`);
  return engines as EngineName[];
}

/** An integer flag from `min` to `max`, or undefined (benchmark()'s default) when absent. */
function countFlag(args: ParsedArgs, name: string, max: number, min = 1): number | undefined {
  if (!args.flags.has(name)) return undefined;
  const value = Number(args.flags.get(name));
  if (!Number.isInteger(value) || value < min || value > max) throw invalidArgument(`bench: --${name} expects an integer from ${min} to ${max}, got ${describeValue(args.flags.get(name))}`);
  return value;
}

function positiveFlag(args: ParsedArgs, name: string): number {
  const value = Number(args.flags.get(name));
  if (!(value > 0) || !Number.isFinite(value)) throw invalidArgument(`bench: --${name} expects a positive number of seconds, got ${describeValue(args.flags.get(name))}`);
  return value;
}

function loadModel(args: ParsedArgs, maxBytes: number): LSTM | null {
  const path = args.flags.get('model');
  if (path === undefined) return null;
  return lstmModelFile(args, maxBytes) ?? modelFromJSON(readJSON(path, 'model', maxBytes), { maxBytes });
}

const ms = (v: number | null): string => (v === null ? '—' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`);
const num = (v: number | null): string => (v === null ? '—' : Number(v.toPrecision(3)).toString());

function engineLabel(row: Pick<BenchmarkRow, 'engine' | 'threads'>, software = false): string {
  if (row.engine === 'wasm') return `wasm, ${row.threads} thread${row.threads === 1 ? '' : 's'}`;
  return row.engine === 'cpu' ? 'cpu reference (f64)' : software ? 'webgpu (software)' : 'webgpu';
}

/** The table: one row per shape and engine, with what an engine that was not timed says. */
export function benchTable(result: BenchmarkResult): string[] {
  const header = ['shape (B,T,I,H)', 'engine', 'median', 'min', 'max', 'GFLOP/s', 'max |err|', 'status'];
  const software = result.engines.some((e) => e.engine === 'webgpu' && e.softwareAdapter);
  const body = result.rows.map((r) => [
    `(${r.shape.batch},${r.shape.steps},${r.shape.inputSize},${r.shape.hiddenSize})${r.shape.layers > 1 ? ` ${r.shape.layers} layers` : ''}${r.shape.bidirectional ? ' bidir' : ''}`,
    engineLabel(r, software),
    ms(r.medianMs),
    ms(r.minMs),
    ms(r.maxMs),
    num(r.gflops),
    r.verified ? (r.verified.maxAbs === 0 ? '0' : r.verified.maxAbs.toExponential(1)) : '—',
    r.status === 'ok' ? `ok (${r.timesMs.length} runs)` : r.status,
  ]);
  const widths = header.map((h, k) => Math.max(h.length, ...body.map((row) => row[k].length)));
  const line = (cells: string[]) => cells.map((c, k) => (k >= 2 && k <= 6 ? c.padStart(widths[k]) : c.padEnd(widths[k]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}

/** `bench`: times each engine on each shape; prints the engines, the table and the crossover (or, with --json, the whole result). */
export async function benchCommand(args: ParsedArgs, print: Print, warn: Print): Promise<number> {
  const maxBytes = numberFlag(args, 'max-bytes', kDefaultMaxBytes);
  const model = loadModel(args, maxBytes);
  const shapes = parseShapes(args.flags.get('shapes') ?? (model ? '1,100 16,100 64,100' : kDefaultBenchShapes), model);
  const runtime = (args.flags.get('runtime') ?? 'auto') as NodeRuntime | 'auto';
  if (!['auto', 'dawn', 'chromium'].includes(runtime)) throw invalidArgument(`bench: --runtime expects dawn, chromium or auto, got ${describeValue(runtime)}`);
  const json = args.flags.has('json');
  const bar = await stepProgress(!json && process.stderr.isTTY === true, warn);
  let result: BenchmarkResult;
  try {
    result = await benchmark(model, shapes, {
      engines: parseEngines(args.flags.get('engines')),
      threads: threadCountsFlag(args),
      reps: countFlag(args, 'reps', 1000),
      budgetMs: args.flags.has('budget') ? positiveFlag(args, 'budget') * 1000 : undefined,
      seed: countFlag(args, 'seed', 2 ** 31, 0),
      runtime,
      onProgress: (p) => bar.update(p.done, p.total, p.shape ? `(${p.shape.batch},${p.shape.steps},${p.shape.inputSize},${p.shape.hiddenSize}) ${p.message}` : p.message),
    });
  } finally {
    bar.stop();
  }
  if (json) {
    print(JSON.stringify(result));
    return 0;
  }
  for (const e of result.engines) print(`${e.id.padEnd(8)} ${e.available ? '' : 'absent: '}${e.reason}`);
  print('');
  for (const line of benchTable(result)) print(line);
  const notes = result.rows.filter((r) => r.status !== 'ok' && r.status !== 'absent' && r.note);
  for (const r of notes) print(`  ${engineLabel(r)} at B = ${r.shape.batch}: ${r.note}`);
  print('');
  print(`${result.protocol.reps} interleaved timed runs per engine after one warm-up whose output matched the float64 reference (|err| ≤ ${result.protocol.tolerance.atol} + ${result.protocol.tolerance.rtol}·|ref|); ${result.protocol.timedRegion}.`);
  print(`${result.crossover.summary}.`);
  return 0;
}

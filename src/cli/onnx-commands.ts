import { writeFileSync } from 'node:fs';
import { OnnxSession, type OnnxFeed, type OnnxValue } from '../api/onnx-graph/session.js';
import { describeValue } from '../core/describe.js';
import { invalidArgument, LstmError } from '../core/errors.js';
import { modelFromOnnx, type OnnxModel } from '../api/onnx-graph/reduce.js';
import { parseTensor } from '../formats/tensor-json.js';
import type { ParsedArgs } from './args.js';
import { kDefaultMaxBytes, readJSON, type Print } from './commands.js';
import { readModelBytes } from './lstm-files.js';
import { kCliBackends, noteCpuFallback, openCliBackend, type CliPreference } from './open-backend.js';
import { numberFlag, requireFlag, threadsFlag } from './args.js';

/**
 * `run` and `info` for an ONNX file: the graph runs node by node (OnnxSession), its LSTM nodes on
 * the chosen backend, every other node on the host. Input: the graph's input names, or the
 * library's keys (x, lengths, h0, c0) where the graph reduces to our model and each stands for
 * one graph input. Output: every graph output under its own name, plus output / h_n / c_n /
 * prediction where a graph output is exactly that.
 */

function maxBytesOf(args: ParsedArgs): number {
  const maxBytes = numberFlag(args, 'max-bytes', kDefaultMaxBytes);
  if (!Number.isInteger(maxBytes)) throw invalidArgument(`${args.command}: --max-bytes expects a whole number of bytes, got ${describeValue(args.flags.get('max-bytes'))}`);
  return maxBytes;
}

/** The reader's view of the graph where it reduces to our model (it names the roles of inputs and outputs); null otherwise. */
function reduced(bytes: Uint8Array, maxBytes: number): OnnxModel | null {
  try {
    return modelFromOnnx(bytes, { maxBytes });
  } catch {
    return null;
  }
}

/** The --input file as feeds by graph input name; the library's keys are mapped to the inputs they stand for. */
function feedsOf(args: ParsedArgs, session: OnnxSession, onnx: OnnxModel | null, maxBytes: number): Record<string, OnnxFeed> {
  const path = requireFlag(args, 'input');
  const file = readJSON(path, 'input', maxBytes);
  if (file === null || typeof file !== 'object' || Array.isArray(file)) throw invalidArgument(`--input ${path}: expected { "<graph input>": {"shape": [...], "data": [...]} }, got ${describeValue(file)}`);
  const roles: Record<string, string | undefined> = { x: onnx?.inputs.x ?? (session.inputNames.length === 1 ? session.inputNames[0] : undefined), lengths: onnx?.inputs.lengths, h0: onnx?.inputs.h0, c0: onnx?.inputs.c0 };
  const feeds: Record<string, OnnxFeed> = {};
  for (const [key, value] of Object.entries(file as Record<string, unknown>)) {
    const name = session.inputNames.includes(key) ? key : roles[key];
    if (!name) throw invalidArgument(`--input ${path}: "${key}" is neither an input of the graph (${session.inputNames.join(', ')}) nor one of the library's keys (x, lengths, h0, c0) this graph has`);
    if (Object.hasOwn(feeds, name)) throw invalidArgument(`--input ${path}: "${key}" and another key both give graph input ${JSON.stringify(name)}`);
    // The library's "lengths" is a plain list of integers, as for our model JSON; a graph input is a tensor.
    if (key === 'lengths' && name !== key && Array.isArray(value)) {
      if (!value.every((v) => Number.isInteger(v))) throw invalidArgument(`--input ${path} "lengths": expected a list of integers (one per batch row), got ${describeValue(value)}`);
      feeds[name] = { dims: [value.length], data: value as number[] };
      continue;
    }
    const t = parseTensor(`--input ${path} "${key}"`, value);
    feeds[name] = { dims: t.shape, data: t.data };
  }
  return feeds;
}

/** output / h_n / c_n / prediction: the graph outputs that are exactly this library's results. */
function libraryKeys(onnx: OnnxModel | null): Map<string, string> {
  const keys = new Map<string, string>();
  if (!onnx) return keys;
  const L = onnx.model.config.numLayers;
  for (const { name, view } of onnx.outputs) {
    if (view.kind === 'sequence' && !view.flipped && view.form === (onnx.model.config.batchFirst ? 'BTF' : 'TBF')) keys.set('output', name);
    if (view.kind === 'state' && view.first === 0 && view.last === L - 1 && !view.batchMajor) keys.set(view.which === 'h' ? 'h_n' : 'c_n', name);
    if (view.kind === 'prediction') keys.set('prediction', name);
  }
  return keys;
}

const asJSON = (t: OnnxValue) => ({ shape: [...t.dims], type: t.type, data: Array.from(t.data, Number) });

/** `run --model m.onnx`: the graph on the chosen backend; writes every graph output by name. */
export async function runOnnxCommand(args: ParsedArgs, print: Print, warn: Print): Promise<number> {
  const maxBytes = maxBytesOf(args);
  const bytes = readModelBytes(requireFlag(args, 'model'), maxBytes);
  const backendFlag = args.flags.get('backend') ?? 'auto';
  if (!(kCliBackends as readonly string[]).includes(backendFlag)) throw invalidArgument(`run: --backend expects cpu, wasm, webgpu or auto, got ${describeValue(backendFlag)}`);
  const threads = threadsFlag(args, backendFlag);
  if (args.flags.has('trace')) throw invalidArgument('run: --trace is for our model JSON; an ONNX graph runs node by node and has no per-step trace');
  // Read and check everything before a backend starts.
  const onnx = reduced(bytes, maxBytes);
  const probe = await OnnxSession.create(bytes, { maxBytes });
  const feeds = feedsOf(args, probe, onnx, maxBytes);
  let reason = 'the CPU backend was requested';
  let backendName = 'cpu';
  let outputs: Record<string, OnnxValue>;
  const opened = backendFlag === 'cpu' ? null : await openCliBackend(backendFlag as CliPreference, (args.flags.get('runtime') ?? 'auto') as 'auto', warn, threads);
  try {
    if (opened && opened.kind !== 'cpu') {
      const session = await OnnxSession.create(bytes, { maxBytes, backend: opened });
      try {
        outputs = await session.run(feeds);
      } finally {
        session.dispose();
      }
      reason = opened.reason;
      backendName = opened.kind;
    } else {
      if (opened) reason = opened.reason;
      outputs = await probe.run(feeds);
    }
  } catch (error) {
    if (backendFlag === 'auto' && error instanceof LstmError && error.code === 'BACKEND_UNAVAILABLE') {
      noteCpuFallback(error.message, warn);
      outputs = await probe.run(feeds);
    } else throw error;
  } finally {
    await opened?.close();
  }
  const report: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(outputs)) report[name] = asJSON(t);
  for (const [key, name] of libraryKeys(onnx)) if (!Object.hasOwn(report, key)) report[key] = report[name];
  report.backend = backendName;
  report.reason = reason;
  report.placement = placementSummary(probe);
  const out = args.flags.get('out');
  if (out) {
    writeFileSync(out, JSON.stringify(report));
    print(`wrote ${out}: ${Object.keys(outputs).join(', ')}; backend ${backendName} (${reason})`);
  } else print(JSON.stringify(report));
  return 0;
}

function placementSummary(session: OnnxSession) {
  const where = (on: string) => session.placement.filter((p) => p.on === on).map((p) => `${p.node || '(unnamed)'} (${p.opType})`);
  const stacks = [...new Set(session.placement.flatMap((p) => (p.stack ? [p.stack] : [])))];
  return { backend: where('backend'), host: where('host'), foldedAtLoad: where('folded').length, fusedStacks: stacks };
}

/** `info --model m.onnx`: the graph's inputs and outputs, its op counts, and where each node runs. */
export async function onnxInfoCommand(args: ParsedArgs, print: Print): Promise<number> {
  const maxBytes = maxBytesOf(args);
  const bytes = readModelBytes(requireFlag(args, 'model'), maxBytes);
  const session = await OnnxSession.create(bytes, { maxBytes });
  let reducesTo: string;
  try {
    const { config } = modelFromOnnx(bytes, { maxBytes }).model;
    reducesTo = `our LSTM (${config.numLayers} layer${config.numLayers === 1 ? '' : 's'}, hidden ${config.hiddenSize}${config.bidirectional ? ', bidirectional' : ''}${config.head ? `, a ${config.head.layers.length}-layer dense head` : ''}): run, train and convert take it`;
  } catch (error) {
    reducesTo = `nothing: it runs for inference only (train and convert refuse it: ${(error as Error).message})`;
  }
  print(JSON.stringify({
    inputs: session.inputNames.map((name) => ({ name, type: session.inputTypes.get(name) })),
    outputs: session.outputNames.map((name) => ({ name, type: session.outputTypes.get(name) })),
    opCounts: Object.fromEntries([...session.opCounts].sort(([a], [b]) => a.localeCompare(b))),
    placement: placementSummary(session),
    reducesTo,
  }, null, 2));
  return 0;
}

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadGraph, referenceGraph, type GraphResult } from '../api/graph.js';
import { describeValue } from '../core/describe.js';
import { invalidArgument, limitExceeded, LstmError } from '../core/errors.js';
import { loadModelFile } from '../api/model-files.js';
import { formatFromExtension, kWritableFormats, writeModelFile, type LoadedModel } from '../formats/load.js';
import { checkShardPath } from '../formats/tfjs/read.js';
import { parseTensor } from '../formats/tensor-json.js';
import type { SequenceModel } from '../model/graph/sequence-model.js';
import { kCliBackends, noteCpuFallback, openCliBackend, type CliPreference } from './open-backend.js';
import { numberFlag, requireFlag, threadsFlag, type ParsedArgs } from './args.js';
import { isOnnxModel, lstmModelFile } from './lstm-files.js';
import { kDefaultMaxBytes, readJSON, type Print } from './commands.js';

/**
 * The CLI for model files other than our JSON (src/formats/load.ts): `convert`, and `run` /
 * `verify` of a Keras or TensorFlow.js model (a SequenceModel: its LSTMs on the chosen backend, the
 * layers between them on the host in float64). Input: {"x": {"shape": [B, T, I], "data": [...]}},
 * batch-first as in Keras (token ids [B, T] in front of an Embedding).
 */

/** Reads a file whole, refusing one larger than the budget before reading it. */
function readBytes(path: string, what: string, maxBytes: number): Uint8Array {
  try {
    const size = statSync(path).size;
    if (size > maxBytes) throw limitExceeded(`${what} ${path}: the file is ${size} bytes, more than --max-bytes ${maxBytes}`);
    return readFileSync(path);
  } catch (error) {
    if (error instanceof LstmError) throw error;
    throw invalidArgument(`${what} ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function maxBytesFlag(args: ParsedArgs): number {
  const maxBytes = numberFlag(args, 'max-bytes', kDefaultMaxBytes);
  if (!Number.isInteger(maxBytes)) throw invalidArgument(`${args.command}: --max-bytes expects a whole number of bytes, got ${describeValue(args.flags.get('max-bytes'))}`);
  return maxBytes;
}

/** The --model file (and --weights) read through the registry. */
export async function loadModelFlag(args: ParsedArgs): Promise<LoadedModel> {
  const maxBytes = maxBytesFlag(args);
  const path = requireFlag(args, 'model');
  const weights = args.flags.get('weights');
  return loadModelFile(
    {
      path,
      bytes: readBytes(path, '--model', maxBytes),
      ...(weights ? { weights: { path: weights, bytes: readBytes(weights, '--weights', maxBytes) } } : {}),
      readSibling: (relative) => readBytes(join(dirname(path), checkShardPath(relative, `${path} weightsManifest path`)), 'weight shard', maxBytes),
    },
    { maxBytes, from: args.flags.get('from') },
  );
}

/** Whether --model names a file that is not our model JSON (so run/verify take the sequence-model path). */
export function isForeignModel(args: ParsedArgs): boolean {
  const path = args.flags.get('model');
  if (path === undefined || isOnnxModel(args)) return false; // ONNX: the graph executor's path (src/cli/onnx-commands.ts)
  if (args.flags.has('weights') || (args.flags.has('from') && args.flags.get('from') !== 'json')) return true;
  if (lstmModelFile(args, maxBytesFlag(args))) return false; // ONNX, safetensors: the plain path (src/cli/lstm-files.ts)
  const bytes = readBytes(path, '--model', maxBytesFlag(args));
  const signature = (expected: number[]) => expected.every((b, k) => bytes[k] === b);
  if (signature([0x89, 0x48, 0x44, 0x46]) || signature([0x50, 0x4b, 0x03, 0x04])) return true; // HDF5, zip
  // Anything else stays on our JSON path, which reports what is wrong with it in its own words.
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return false;
  }
  return json !== null && typeof json === 'object' && (Object.hasOwn(json, 'modelTopology') || Object.hasOwn(json, 'class_name'));
}

interface SequenceInput {
  readonly x: Float64Array;
  readonly batch: number;
  readonly steps: number | undefined;
}

function sequenceInput(args: ParsedArgs, model: SequenceModel): SequenceInput {
  const path = requireFlag(args, 'input');
  const file = readJSON(path, 'input', maxBytesFlag(args));
  const x = file !== null && typeof file === 'object' && Object.hasOwn(file, 'x') ? parseTensor('x', (file as { x: unknown }).x) : null;
  const rank = model.input.shape.length + 1;
  if (!x || x.shape.length !== rank) throw invalidArgument(`--input ${path}: expected "x": {"shape": [B, ${model.input.shape.map((d) => d ?? 'T').join(', ')}], "data": [...]} (batch-first, as Keras), got ${describeValue(x?.shape)}`);
  return { x: x.data, batch: x.shape[0], steps: x.shape.length > 2 || model.input.tokenIds ? x.shape[1] : undefined };
}

async function onGpu(model: SequenceModel, input: SequenceInput, prefer: CliPreference, runtime: string | undefined, warn: Print, threads?: number): Promise<{ result: GraphResult; reason: string; placement: unknown }> {
  const backend = await openCliBackend(prefer, (runtime ?? 'auto') as 'auto', warn, threads);
  try {
    const runner = await loadGraph(backend, model);
    try {
      return { result: await runner.forward(input.x, input), reason: backend.reason, placement: runner.placement };
    } finally {
      runner.dispose();
    }
  } finally {
    await backend.close();
  }
}

/** `run` for a Keras / TensorFlow.js model: writes {prediction, backend, reason, placement, stats}. */
export async function runSequenceCommand(args: ParsedArgs, print: Print, warn: Print): Promise<number> {
  const loaded = await loadModelFlag(args);
  if (loaded.kind !== 'sequence') throw invalidArgument('run: internal: not a sequence model');
  const model = loaded.model;
  const input = sequenceInput(args, model);
  const backend = args.flags.get('backend') ?? 'auto';
  if (!(kCliBackends as readonly string[]).includes(backend)) throw invalidArgument(`run: --backend expects cpu, wasm, webgpu or auto, got ${describeValue(backend)}`);
  const threads = threadsFlag(args, backend);
  let run: { result: GraphResult; reason: string; placement: unknown } | null = null;
  if (backend !== 'cpu') {
    try {
      run = await onGpu(model, input, backend as CliPreference, args.flags.get('runtime'), warn, threads);
    } catch (error) {
      if (backend === 'webgpu' || !(error instanceof LstmError) || error.code !== 'BACKEND_UNAVAILABLE') throw error;
      noteCpuFallback(error.message, warn);
    }
  }
  run ??= { result: await referenceGraph(model, input.x, input), reason: 'the CPU backend (float64)', placement: model.lstmLayers.map((l) => ({ layer: l.name, backend: 'cpu' })) };
  const report = { prediction: { shape: run.result.prediction.shape, data: Array.from(run.result.prediction.data) }, backend: run.result.stats.backend, reason: run.reason, placement: run.placement, source: model.source, stats: run.result.stats };
  for (const p of run.placement as { layer: string; backend: string; reason?: string }[]) if (backend !== 'cpu' && p.backend === 'cpu') warn(`webgpu-lstm: note: layer ${p.layer} runs on the CPU: ${p.reason ?? ''}`);
  const out = args.flags.get('out');
  if (out) {
    writeFileSync(out, JSON.stringify(report));
    print(`wrote ${out}: prediction [${report.prediction.shape.join(', ')}], backend ${report.backend}`);
  } else print(JSON.stringify(report));
  return 0;
}

/** `verify` for a Keras / TensorFlow.js model: the prediction on WebGPU against the float64 CPU path. */
export async function verifySequenceCommand(args: ParsedArgs, print: Print, warn: Print): Promise<number> {
  const loaded = await loadModelFlag(args);
  if (loaded.kind !== 'sequence') throw invalidArgument('verify: internal: not a sequence model');
  const input = sequenceInput(args, loaded.model);
  const atol = numberFlag(args, 'atol', 1e-5);
  const rtol = numberFlag(args, 'rtol', 1e-4);
  const subject = args.flags.get('backend') ?? 'webgpu';
  if (subject !== 'webgpu' && subject !== 'wasm') throw invalidArgument(`verify: --backend expects webgpu or wasm (the backend judged against the float64 reference), got ${describeValue(subject)}`);
  const threads = threadsFlag(args, subject);
  const reference = await referenceGraph(loaded.model, input.x, input);
  const gpu = await onGpu(loaded.model, input, subject, args.flags.get('runtime'), warn, threads);
  let maxAbs = 0;
  let failures = 0;
  reference.prediction.data.forEach((expected, i) => {
    const error = Math.abs(gpu.result.prediction.data[i] - expected);
    maxAbs = Math.max(maxAbs, error);
    if (!(error <= atol + rtol * Math.abs(expected))) failures++;
  });
  print(`model: ${loaded.model.source.format} ${loaded.model.source.kerasVersion ?? ''} layers ${loaded.model.layers.map((l) => l.kind).join(' → ')}`);
  print(`placement: ${JSON.stringify(gpu.placement)}`);
  print(`${failures === 0 ? 'PASS' : 'FAIL'}: prediction max abs error ${maxAbs.toExponential(3)} (tolerance |${subject === 'webgpu' ? 'gpu' : 'wasm'} − cpu| ≤ ${atol} + ${rtol}·|cpu|), ${failures} outside`);
  return failures === 0 ? 0 : 1;
}

/** `convert IN OUT`: reads any supported model file and writes it in the format --to or OUT's extension names. */
export async function convertCommand(args: ParsedArgs, print: Print): Promise<number> {
  requireFlag(args, 'model');
  // Checked before the model is read, so a typo in OUT costs nothing and never ends in ENOENT.
  const target = modelOutput(args);
  await writeModelOutput(await loadModelFlag(args), target, print);
  return 0;
}

/** Where --out goes and in which format (--to, else OUT's extension). */
export interface ModelOutput {
  readonly out: string;
  readonly to: string;
}

/**
 * Reads --out (and --to) and checks them before any work: INVALID_ARGUMENT where the format cannot
 * be told from OUT's name or OUT's folder does not exist. Shared by `convert` and `train`, so a
 * trained model written to m.onnx is ONNX, not JSON under an .onnx name.
 */
export function modelOutput(args: ParsedArgs): ModelOutput {
  const out = requireFlag(args, 'out');
  const to = args.flags.get('to') ?? formatFromExtension(out);
  if (!to) throw invalidArgument(`${args.command}: cannot tell the output format from ${JSON.stringify(out)}; give --to (${kWritableFormats.join(', ')})`);
  const folder = dirname(out);
  if (!isFolder(folder)) throw invalidArgument(`${args.command}: the output folder ${folder} does not exist; create it first (mkdir -p ${folder})`);
  return { out, to };
}

/** Writes the model as modelOutput() said, and prints which files it wrote. */
export async function writeModelOutput(loaded: LoadedModel, { out, to }: ModelOutput, print: Print): Promise<void> {
  const folder = dirname(out);
  const files = await writeModelFile(loaded, to, basename(out));
  for (const name of [...files.keys()].filter((n) => n !== basename(out))) refuseSharedShard(folder, name, basename(out));
  for (const [name, bytes] of files) writeFileSync(join(folder, name), bytes);
  print(`wrote ${[...files.keys()].map((n) => join(folder, n)).join(', ')} (${to})`);
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Refuses to overwrite a shard that another TensorFlow.js model.json in the folder names: writing
 * it would silently change that model's weights. `ours` (the model.json being written) may own it.
 */
function refuseSharedShard(folder: string, shard: string, ours: string): void {
  if (!existsSync(join(folder, shard))) return;
  for (const name of readdirSync(folder)) {
    if (name === ours || !name.toLowerCase().endsWith('.json')) continue;
    let manifest: unknown;
    try {
      const path = join(folder, name);
      if (statSync(path).size > kMaxManifestBytes) continue;
      manifest = (JSON.parse(readFileSync(path, 'utf8')) as { weightsManifest?: unknown }).weightsManifest;
    } catch {
      continue; // not JSON, or not readable: it names no shard
    }
    const paths = Array.isArray(manifest) ? manifest.flatMap((group) => (Array.isArray(group?.paths) ? group.paths : [])) : [];
    if (paths.includes(shard)) throw invalidArgument(`convert: ${join(folder, shard)} is the weight shard of ${join(folder, name)}; writing it would change that model's weights. Write into another folder, or under another name`);
  }
}

/** A model.json larger than this is not read when looking for the shards it names (they are kilobytes). */
const kMaxManifestBytes = 64 << 20;

export const kConvertFlags = ['model', 'weights', 'out', 'from', 'to', 'max-bytes'];

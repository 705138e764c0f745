import type { ForwardResult } from '../core/results.js';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { compareResults, kDefaultTolerance, type VerifyReport } from '../api/compare.js';
import { invalidArgument, limitExceeded, LstmError } from '../core/errors.js';
import { referenceResult } from '../api/runner.js';
import type { AdapterSummary } from '../gpu/context.js';
import { inputFromJSON, type ParsedInput } from '../formats/input-json.js';
import { resultToJSON } from '../formats/result-json.js';
import { parseUntrustedJSON } from '../formats/untrusted-json.js';
import { prepareInput } from '../api/forward-input.js';
import type { PreparedInput } from '../core/prepared-input.js';
import { describeValue } from '../core/describe.js';
import { traceTable } from './trace-table.js';
import { modelFromJSON } from '../formats/model-json.js';
import type { LSTM } from '../model/lstm.js';
import { BrowserSession } from '../node/chromium/browser-session.js';
import { createNodeBackend, type NodeRuntime } from '../node/node-backend.js';
import { kCliBackends, openCliBackend, type CliPreference } from './open-backend.js';
import { numberFlag, requireFlag, threadsFlag, type ParsedArgs } from './args.js';
import { lstmModelFile } from './lstm-files.js';

export type Print = (line: string) => void;

/** The memory budget of `run` and `verify` when --max-bytes is not given: 1 GiB. */
export const kDefaultMaxBytes = 2 ** 30;

/** Reads a JSON file (never evaluated: JSON.parse only), refusing one larger than the budget before reading it. */
export function readJSON(path: string, what: string, maxBytes: number): unknown {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > maxBytes) throw limitExceeded(`--${what} ${path}: the file is ${size} bytes, more than --max-bytes ${maxBytes}`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof LstmError) throw error;
    throw invalidArgument(`--${what} ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseUntrustedJSON(text, `--${what} ${path}`);
}

interface Case {
  readonly model: LSTM;
  readonly input: ParsedInput;
  /** The input as the front door prepares it: proof that it is complete and valid, made before any runtime starts. */
  readonly prepared: PreparedInput;
}

/** Reads and checks model and input entirely (shapes, values, lengths) before any backend is started. */
function loadCase(args: ParsedArgs, trace = false): Case {
  const maxBytes = numberFlag(args, 'max-bytes', kDefaultMaxBytes);
  if (!Number.isInteger(maxBytes)) {
    throw invalidArgument(`${args.command}: --max-bytes expects a whole number of bytes, got ${describeValue(args.flags.get('max-bytes'))}`);
  }
  const modelPath = requireFlag(args, 'model');
  const onnxOrSafetensors = lstmModelFile(args, maxBytes);
  const modelFile = onnxOrSafetensors ? null : readJSON(modelPath, 'model', maxBytes);
  const model = onnxOrSafetensors ?? modelFromJSON(modelFile, { maxBytes });
  const parsed = inputFromJSON(inputFile(args, modelPath, modelFile, maxBytes), model.config, { maxBytes });
  const input = { x: parsed.x, options: { ...parsed.options, trace } };
  return { model, input, prepared: prepareInput(model.config, input.x, input.options) };
}

/** --input's file; without --input, the --model file when it holds the input too ("x"), read once. */
function inputFile(args: ParsedArgs, modelPath: string, modelFile: unknown, maxBytes: number): unknown {
  const path = args.flags.get('input');
  if (path !== undefined) return readJSON(path, 'input', maxBytes);
  if (typeof modelFile === 'object' && modelFile !== null && Object.hasOwn(modelFile, 'x')) return modelFile;
  throw invalidArgument(`${args.command}: --input is required: the --model file ${modelPath} holds no input ("x")`);
}

/** Non-finite results from finite files (which the default 'reject' policy guarantees) are overflow: say so. */
function warnNonFinite(result: ForwardResult, warn: Print): void {
  const count = result.stats.nonFiniteOutputs;
  if (count === 0) return;
  const where = result.stats.backend === 'cpu' ? 'the float64 reference overflowed' : `float32 ${result.stats.backend === 'wasm' ? 'in the wasm engine' : 'on the GPU'} overflowed (|W x + b| beyond 3.4e38?)`;
  warn(`webgpu-lstm: warning: ${count} values of output, h_n and c_n are NaN or ±Infinity although every input and weight is finite: ${where}`);
}

interface BackendRun {
  readonly result: ForwardResult;
  /** WebGPU's adapter and runtime; null on the wasm engine. */
  readonly adapter: AdapterSummary | null;
  readonly runtime: NodeRuntime | null;
  /** Why this backend (and runtime) ran: with 'auto', why the ones before it did not. */
  readonly reason: string;
  readonly browser: string | null;
}

/** --runtime: where WebGPU runs. 'auto' (default) is Dawn where it finds an adapter, else headless Chromium, saying why. */
function runtimeFlag(args: ParsedArgs): NodeRuntime | 'auto' {
  const runtime = args.flags.get('runtime') ?? 'auto';
  if (runtime !== 'dawn' && runtime !== 'chromium' && runtime !== 'auto') {
    throw invalidArgument(`${args.command}: --runtime expects dawn, chromium or auto, got ${JSON.stringify(runtime)}`);
  }
  return runtime;
}

/**
 * One forward call on WebGPU (in the chosen runtime) or the wasm engine. Where 'auto' lands on the
 * float64 reference (no SIMD), resolves to the reason instead (the caller runs the reference).
 */
async function runOnBackend(model: LSTM, input: ParsedInput, prefer: CliPreference, runtime: NodeRuntime | 'auto', warn: Print, threads?: number): Promise<BackendRun | { cpuReason: string }> {
  const backend = await openCliBackend(prefer, runtime, warn, threads);
  if (backend.kind === 'cpu') {
    await backend.close();
    return { cpuReason: backend.reason };
  }
  try {
    const runner = await backend.load(model);
    try {
      const result = await runner.forward(input.x, input.options);
      return { result, adapter: backend.adapter, runtime: backend.runtime, reason: backend.reason, browser: backend.browser };
    } finally {
      runner.dispose();
    }
  } finally {
    await backend.close();
  }
}

/** `run`: one forward call on the chosen backend; writes the result file with backend, adapter and counters. */
export async function runCommand(args: ParsedArgs, print: Print, warn: Print): Promise<number> {
  const { model, input, prepared } = loadCase(args, args.flags.has('trace'));
  const backend = args.flags.get('backend') ?? 'auto';
  if (!(kCliBackends as readonly string[]).includes(backend)) {
    throw invalidArgument(`run: --backend expects cpu, wasm, webgpu or auto, got ${describeValue(backend)}`);
  }
  const threads = threadsFlag(args, backend);
  const runtime = runtimeFlag(args);
  let gpu: BackendRun | null = null;
  let reason = 'the CPU backend was requested';
  if (backend !== 'cpu') {
    // Where 'auto' did not land on WebGPU (the wasm engine, the reference, Chromium), openCliBackend says so on stderr.
    const run = await runOnBackend(model, input, backend as CliPreference, runtime, warn, threads);
    if ('cpuReason' in run) {
      reason = run.cpuReason;
    } else {
      gpu = run;
      reason = run.reason;
    }
  }
  const result = gpu ? gpu.result : referenceResult(model, input.x, input.options);
  const report = {
    ...resultToJSON(result),
    backend: result.stats.backend,
    reason,
    runtime: gpu?.runtime ?? null,
    adapter: gpu?.adapter ?? null,
    // The adapter's own words for its driver (Dawn on Vulkan: e.g. "SwiftShader driver 5.0.0").
    driver: gpu?.adapter?.description || null,
    browser: gpu?.browser ?? null,
    stats: { dispatches: result.stats.dispatches, submits: result.stats.submits, readbacks: result.stats.readbacks, nonFiniteOutputs: result.stats.nonFiniteOutputs },
  };
  warnNonFinite(result, warn);
  // The table goes to stderr, so that stdout (or --out) stays one machine-readable JSON document.
  if (result.trace) for (const line of traceTable(model.config, prepared, result.trace)) warn(line);
  const out = args.flags.get('out');
  if (out) {
    writeFileSync(out, JSON.stringify(report));
    print(`wrote ${out}: backend ${report.backend} (${reason}); ${counters(report.stats)}`);
  } else {
    print(JSON.stringify(report));
  }
  return 0;
}

/** "1 dispatch, 3 submits, 1 readback": a count with its noun in the right number. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

export function counters(stats: { dispatches: number; submits: number; readbacks: number }): string {
  return `${plural(stats.dispatches, 'dispatch', 'dispatches')}, ${plural(stats.submits, 'submit')}, ${plural(stats.readbacks, 'readback')}`;
}

function formatError(name: string, e: VerifyReport['output'], side: string): string {
  const worst = e.worst ? ` worst at ${Object.entries(e.worst.at).map(([k, v]) => `${k}=${v}`).join(' ')} (cpu ${e.worst.expected}, ${side} ${e.worst.actual})` : '';
  return `${name.padEnd(10)} max abs ${e.maxAbs.toExponential(3)}  max rel ${e.maxRel.toExponential(3)}  outside tolerance ${e.failures}${worst}`;
}

/** Where verify's subject ran: the adapter and runtime of WebGPU, or the wasm engine's threads and build. */
function subjectLine(run: BackendRun): string {
  const a = run.adapter;
  if (!a) return `engine: wasm (float32, on the CPU): ${run.reason.replace(/^the wasm backend was requested; /, '')}`;
  return `adapter: ${a.vendor} ${a.architecture}${a.isSoftware ? ' (software adapter: CPU speed behind a GPU API)' : ''}; ${run.browser ?? `Dawn in Node${a.description ? `, ${a.description}` : ''}`}`;
}

/**
 * `verify`: WebGPU (default) or, with --backend wasm, the wasm engine against the float64
 * reference; exits 1 when any element is outside the tolerance. No 'auto': what is judged is named.
 */
export async function verifyCommand(args: ParsedArgs, print: Print, warn: Print): Promise<number> {
  const { model, input } = loadCase(args);
  const tolerance = { atol: numberFlag(args, 'atol', kDefaultTolerance.atol), rtol: numberFlag(args, 'rtol', kDefaultTolerance.rtol) };
  const subject = args.flags.get('backend') ?? 'webgpu';
  if (subject !== 'webgpu' && subject !== 'wasm') throw invalidArgument(`verify: --backend expects webgpu or wasm (the backend judged against the float64 reference), got ${describeValue(subject)}`);
  const threads = threadsFlag(args, subject);
  const side = subject === 'webgpu' ? 'gpu' : 'wasm';
  const reference = referenceResult(model, input.x, input.options);
  const run = await runOnBackend(model, input, subject, runtimeFlag(args), warn, threads);
  // prefer 'webgpu' and 'wasm' throw BACKEND_UNAVAILABLE rather than fall back.
  if ('cpuReason' in run) throw new LstmError('BACKEND_UNAVAILABLE', run.cpuReason);
  const report = compareResults(model.config, reference, run.result, tolerance);
  warnNonFinite(reference, warn);
  warnNonFinite(run.result, warn);
  print(subjectLine(run));
  print(`shape: T=${input.options.steps} B=${input.options.batch} I=${model.config.inputSize} H=${model.config.hiddenSize} layers=${model.config.numLayers}${model.config.bidirectional ? ' bidirectional' : ''}`);
  print(formatError('output', report.output, side));
  print(formatError('h_n', report.hN, side));
  print(formatError('c_n', report.cN, side));
  if (report.prediction) print(formatError('prediction', report.prediction, side));
  if (report.trace) print(formatError('trace', report.trace, side));
  for (const key of report.missing) print(`${key}: missing from the ${subject === 'webgpu' ? "GPU's" : "wasm engine's"} result`);
  const s = run.result.stats;
  print(`counters: ${counters(s)}`);
  print(`${report.passed ? 'PASS' : 'FAIL'}: max abs error ${report.maxAbs.toExponential(3)} (tolerance |${side} − cpu| ≤ ${tolerance.atol} + ${tolerance.rtol}·|cpu|)`);
  return report.passed ? 0 : 1;
}

/** What `--backend wasm` would run on here: the engine's threads and build, or why it is unavailable. */
async function wasmInfo(): Promise<Record<string, unknown>> {
  try {
    const backend = await createNodeBackend({ prefer: 'wasm' });
    await backend.close();
    // The engine opens only with 128-bit SIMD; its reason names the build (relaxed SIMD or plain).
    return { available: true, threads: backend.threads, threadsReason: backend.threadsReason, reason: backend.reason };
  } catch (error) {
    if (!(error instanceof LstmError) || error.code !== 'BACKEND_UNAVAILABLE') throw error;
    return { available: false, reason: error.message };
  }
}

/** The adapter and limits of WebGPU in headless Chromium; BACKEND_UNAVAILABLE where the browser or its WebGPU is missing. */
async function chromiumInfo(): Promise<Record<string, unknown>> {
  const session = await BrowserSession.open();
  try {
    const info = await session.page.evaluate(async () => {
      const lib = (window as unknown as { webgpuLstm: typeof import('../index.js') }).webgpuLstm;
      try {
        const backend = await lib.createBackend({ prefer: 'webgpu' });
        const limits = backend.device!.limits;
        backend.dispose();
        return { ok: true as const, adapter: backend.adapter!, maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize, maxBufferSize: limits.maxBufferSize };
      } catch (error) {
        return { ok: false as const, message: (error as Error).message };
      }
    });
    if (!info.ok) throw new LstmError('BACKEND_UNAVAILABLE', info.message);
    return { browser: session.browserVersion, ...info.adapter, limits: { maxStorageBufferBindingSize: info.maxStorageBufferBindingSize, maxBufferSize: info.maxBufferSize } };
  } finally {
    await session.close();
  }
}

/**
 * `info`: the adapter the webgpu backend would use and the runtime (Dawn, or the browser) it runs
 * in, and the wasm engine ("wasm": its threads and build). With --runtime auto and no WebGPU at
 * all, it says why ("webgpu": null, "reason") and still exits 0: the wasm engine is then what runs.
 */
export async function infoCommand(args: ParsedArgs, print: Print): Promise<number> {
  const runtime = runtimeFlag(args);
  const printJSON = (value: Record<string, unknown>) => print(JSON.stringify(value, null, 2));
  let dawnUnavailable: string | null = null;
  if (runtime !== 'chromium') {
    try {
      const backend = await createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
      const { maxStorageBufferBindingSize, maxBufferSize } = backend.device!.limits;
      await backend.close();
      printJSON({ runtime: 'dawn', ...backend.adapter, limits: { maxStorageBufferBindingSize, maxBufferSize }, wasm: await wasmInfo() });
      return 0;
    } catch (error) {
      if (runtime === 'dawn' || !(error instanceof LstmError) || error.code !== 'BACKEND_UNAVAILABLE') throw error;
      dawnUnavailable = error.message;
    }
  }
  try {
    const chromium = await chromiumInfo();
    const reason = dawnUnavailable ? { reason: `runtime auto: Dawn is unavailable (${dawnUnavailable}), so headless Chromium runs it` } : {};
    printJSON({ runtime: 'chromium', ...reason, ...chromium, wasm: await wasmInfo() });
    return 0;
  } catch (error) {
    if (runtime === 'chromium' || !(error instanceof LstmError) || error.code !== 'BACKEND_UNAVAILABLE') throw error;
    printJSON({ runtime: null, webgpu: null, reason: `no WebGPU here: Dawn: ${dawnUnavailable}; headless Chromium: ${error.message}`, wasm: await wasmInfo() });
    return 0;
  }
}

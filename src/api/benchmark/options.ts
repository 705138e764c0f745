// benchmark()'s arguments, checked before any engine opens: a typed error names the argument,
// what it expects and what it got.
import { checkKnownKeys } from '../../core/nearest-key.js';
import { describeValue } from '../../core/describe.js';
import { invalidArgument, limitExceeded } from '../../core/errors.js';
import type { LSTM } from '../../model/lstm.js';
import { kDefaultTolerance, type Tolerance } from '../compare.js';
import { kEngineNames, type BenchmarkOptions, type BenchmarkShape, type EngineName, type ResolvedShape } from './types.js';

export const kDefaultReps = 10;
export const kDefaultBudgetMs = 20_000;
/** Most elements of x per shape (2^27 float32: 512 MiB): a typo in B or T must not allocate the machine away. */
export const kMaxInputElements = 2 ** 27;
const kMaxThreads = 64;

const isCount = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;

export interface CheckedOptions {
  readonly engines: readonly EngineName[];
  /** The wasm engine's explicit thread counts, and whether the engine's default ("all") is timed too. */
  readonly threads: readonly number[];
  readonly allThreads: boolean;
  readonly reps: number;
  readonly budgetMs: number;
  readonly tolerance: Tolerance;
  readonly seed: number;
  readonly onProgress: NonNullable<BenchmarkOptions['onProgress']>;
}

export function checkOptions(options: BenchmarkOptions | undefined): CheckedOptions {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw invalidArgument(`options: expected an object, got ${describeValue(options)}`);
  const o = options ?? {};
  checkKnownKeys('benchmark options', o, ['engines', 'threads', 'reps', 'budgetMs', 'tolerance', 'seed', 'onProgress']);
  const engines = o.engines ?? kEngineNames;
  if (!Array.isArray(engines) || engines.length === 0 || engines.some((e) => !kEngineNames.includes(e)) || new Set(engines).size !== engines.length) {
    throw invalidArgument(`options.engines: expected a non-empty list of distinct engines from ${kEngineNames.map((e) => `'${e}'`).join(', ')}, got ${describeValue(engines)}`);
  }
  if (o.threads !== undefined && (!Array.isArray(o.threads) || o.threads.length === 0 || o.threads.some((t) => !isCount(t, kMaxThreads)))) {
    throw invalidArgument(`options.threads: expected a non-empty list of thread counts from 1 to ${kMaxThreads}, got ${describeValue(o.threads)}`);
  }
  const reps = o.reps ?? kDefaultReps;
  if (!isCount(reps, 1000)) throw invalidArgument(`options.reps: expected an integer from 1 to 1000, got ${describeValue(reps)}`);
  const budgetMs = o.budgetMs ?? kDefaultBudgetMs;
  if (typeof budgetMs !== 'number' || !(budgetMs > 0) || !Number.isFinite(budgetMs)) throw invalidArgument(`options.budgetMs: expected a positive number of milliseconds, got ${describeValue(budgetMs)}`);
  const tolerance = o.tolerance ?? kDefaultTolerance;
  if (tolerance === null || typeof tolerance !== 'object' || !(tolerance.atol >= 0) || !(tolerance.rtol >= 0)) {
    throw invalidArgument(`options.tolerance: expected { atol, rtol } with non-negative numbers, got ${describeValue(tolerance)}`);
  }
  const seed = o.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw invalidArgument(`options.seed: expected an integer, got ${describeValue(seed)}`);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw invalidArgument(`options.onProgress: expected a function, got ${describeValue(o.onProgress)}`);
  return {
    engines,
    threads: o.threads ? [...new Set(o.threads)] : [1],
    allThreads: o.threads === undefined,
    reps,
    budgetMs,
    tolerance,
    seed,
    onProgress: o.onProgress ?? (() => {}),
  };
}

/** Each shape with its sizes: the model's, or (model null) the shape's own, which it must then give. */
export function resolveShapes(model: LSTM | null, shapes: readonly BenchmarkShape[]): ResolvedShape[] {
  if (!Array.isArray(shapes) || shapes.length === 0) throw invalidArgument(`shapes: expected a non-empty list of { batch, steps, inputSize?, hiddenSize? }, got ${describeValue(shapes)}`);
  return shapes.map((shape, k) => {
    const at = `shapes[${k}]`;
    if (shape === null || typeof shape !== 'object') throw invalidArgument(`${at}: expected { batch, steps, inputSize?, hiddenSize? }, got ${describeValue(shape)}`);
    for (const key of ['batch', 'steps'] as const) {
      if (!isCount(shape[key], 2 ** 24)) throw invalidArgument(`${at}.${key}: expected an integer from 1 to ${2 ** 24}, got ${describeValue(shape[key])}`);
    }
    for (const key of ['inputSize', 'hiddenSize'] as const) {
      const value = shape[key];
      if (value === undefined ? model === null : !isCount(value, 2 ** 16)) {
        throw invalidArgument(`${at}.${key}: expected an integer from 1 to ${2 ** 16}${model === null ? ' (required when model is null: it sizes the random model)' : ''}, got ${describeValue(value)}`);
      }
      if (model !== null && value !== undefined && value !== model.config[key]) {
        throw invalidArgument(`${at}.${key}: the model's ${key} is ${model.config[key]}, got ${value}`);
      }
    }
    const inputSize = model?.config.inputSize ?? shape.inputSize!;
    const elements = shape.batch * shape.steps * inputSize;
    if (elements > kMaxInputElements) throw limitExceeded(`${at}: x would hold B·T·I = ${elements} values, more than ${kMaxInputElements}`);
    return {
      batch: shape.batch,
      steps: shape.steps,
      inputSize,
      hiddenSize: model?.config.hiddenSize ?? shape.hiddenSize!,
      layers: model?.config.numLayers ?? 1,
      bidirectional: model?.config.bidirectional ?? false,
    };
  });
}

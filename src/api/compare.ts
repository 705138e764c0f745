import { kTraceFields, type ForwardResult, type TraceEntry } from '../core/results.js';
import { directionCount, type LstmConfig } from '../model/config.js';
import { unflatten } from '../core/positions.js';

/**
 * How close a result must be to the float64 reference: each element must satisfy
 * |actual − expected| ≤ atol + rtol·|expected|. The defaults hold for float32 kernels with weights
 * and inputs of ordinary magnitude (|W| ≲ 1, |x| ≲ 10); see the README for large magnitudes.
 */
export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

export const kDefaultTolerance: Tolerance = Object.freeze({ atol: 1e-5, rtol: 1e-5 });

/** The largest differences in one tensor, and where the worst element sits. */
export interface TensorError {
  readonly maxAbs: number;
  /** max |a − e| / |e| over elements with |e| ≥ 1e-6 (relative error is meaningless near zero). */
  readonly maxRel: number;
  /** Elements outside the tolerance. */
  readonly failures: number;
  /** The element with the largest absolute error, by axis name ({t, b, unit} or {layer, direction, b, unit}). */
  readonly worst: { readonly at: Readonly<Record<string, number>>; readonly expected: number; readonly actual: number } | null;
}

export interface VerifyReport {
  readonly output: TensorError;
  readonly hN: TensorError;
  readonly cN: TensorError;
  /** The dense head's prediction; present when the reference has one (a model with a head). */
  readonly prediction?: TensorError;
  /** Every trace field of every layer and direction together; present when the reference has a trace. */
  readonly trace?: TensorError;
  /**
   * Keys of the reference's result (output, hN, cN, prediction, trace) the compared result lacks.
   * Any one fails the comparison: a backend that drops a key is wrong, not close.
   */
  readonly missing: readonly string[];
  readonly maxAbs: number;
  readonly tolerance: Tolerance;
  readonly passed: boolean;
}

function compareTensor(
  expected: ArrayLike<number>,
  actual: ArrayLike<number>,
  tolerance: Tolerance,
  locate: (index: number) => Record<string, number>,
): TensorError {
  let maxAbs = 0;
  let maxRel = 0;
  let failures = 0;
  let worstIndex = -1;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    // The same non-finite value on both sides agrees (NaN with NaN, +∞ with +∞): under the
    // nonFinite: 'propagate' policy that is the expected result. Any other non-finite value on
    // either side fails (a NaN difference also becomes the worst element below).
    const agree = sameNonFinite(e, a);
    const abs = agree ? 0 : Math.abs(a - e);
    if (!agree && !(Number.isFinite(e) && abs <= tolerance.atol + tolerance.rtol * Math.abs(e))) failures++;
    const worse = abs > maxAbs || (Number.isNaN(abs) && !Number.isNaN(maxAbs));
    if (worstIndex < 0 || worse) {
      maxAbs = abs;
      worstIndex = i;
    }
    if (Math.abs(e) >= 1e-6) maxRel = Math.max(maxRel, abs / Math.abs(e));
  }
  if (expected.length !== actual.length) failures += Math.abs(expected.length - actual.length);
  return {
    maxAbs,
    maxRel,
    failures,
    worst: worstIndex < 0 ? null : { at: locate(worstIndex), expected: expected[worstIndex], actual: actual[worstIndex] },
  };
}

function sameNonFinite(expected: number, actual: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return !Number.isFinite(expected) && expected === actual;
}

/** Where element `index` of a prediction sits: [B, O] over 'last', [T, B, O] or [B, T, O] over 'sequence'. */
function predictionAxes(config: LstmConfig, shape: readonly number[]): string[] {
  if (shape.length === 2) return ['b', 'unit'];
  return config.batchFirst ? ['b', 't', 'unit'] : ['t', 'b', 'unit'];
}

/**
 * Every trace field of every layer and direction, one after another ([T, B, width] each, time-major);
 * the worst element is named by layer, direction, field ('i' … 'h'), t, b and unit.
 */
function compareTrace(expected: readonly TraceEntry[], actual: readonly TraceEntry[] | undefined, steps: number, batch: number, tolerance: Tolerance): TensorError {
  const parts = expected.flatMap((entry) => kTraceFields.map((field) => ({ entry, field, data: entry[field] })));
  const got = (actual ?? []).flatMap((entry) => kTraceFields.map((field) => entry[field]));
  const join = (arrays: readonly ArrayLike<number>[]) => Float64Array.from(arrays.flatMap((a) => Array.from(a)));
  return compareTensor(join(parts.map((p) => p.data)), join(got), tolerance, (index) => {
    let rest = index;
    let k = 0;
    while (k < parts.length - 1 && rest >= parts[k].data.length) rest -= parts[k++].data.length;
    const { entry, field, data } = parts[k];
    const at = unflatten(rest, [steps, batch, data.length / (steps * batch)], ['t', 'b', 'unit']);
    return { layer: entry.layer, direction: entry.direction, field: kTraceFields.indexOf(field), ...at };
  });
}

/** Compares a backend's result with the reference's, element by element. */
export function compareResults(
  config: LstmConfig,
  expected: ForwardResult,
  actual: ForwardResult,
  tolerance: Tolerance = kDefaultTolerance,
): VerifyReport {
  const D = directionCount(config);
  const outputAxes = config.batchFirst ? ['b', 't', 'unit'] : ['t', 'b', 'unit'];
  const output = compareTensor(expected.output.data, actual.output.data, tolerance, (i) =>
    unflatten(i, expected.output.shape, outputAxes),
  );
  const [LD, B, H] = expected.hN.shape;
  const locateState = (i: number) => {
    const { ld, b, unit } = unflatten(i, [LD, B, H], ['ld', 'b', 'unit']);
    return { layer: Math.floor(ld / D), direction: ld % D, b, unit };
  };
  const hN = compareTensor(expected.hN.data, actual.hN.data, tolerance, locateState);
  const cN = compareTensor(expected.cN.data, actual.cN.data, tolerance, locateState);
  const steps = expected.output.shape[config.batchFirst ? 1 : 0];
  const prediction = expected.prediction
    ? compareTensor(expected.prediction.data, actual.prediction?.data ?? [], tolerance, (i) =>
        unflatten(i, expected.prediction!.shape, predictionAxes(config, expected.prediction!.shape)),
      )
    : undefined;
  const trace = expected.trace ? compareTrace(expected.trace, actual.trace, steps, B, tolerance) : undefined;
  const missing = (['prediction', 'trace'] as const).filter((key) => expected[key] !== undefined && actual[key] === undefined);
  const compared = [output, hN, cN, ...(prediction ? [prediction] : []), ...(trace ? [trace] : [])];
  return {
    output,
    hN,
    cN,
    ...(prediction ? { prediction } : {}),
    ...(trace ? { trace } : {}),
    missing,
    maxAbs: Math.max(...compared.map((e) => e.maxAbs)),
    tolerance,
    passed: missing.length === 0 && compared.every((e) => e.failures === 0),
  };
}

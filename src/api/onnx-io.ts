import { formatShape } from '../core/describe.js';
import { invalidArgument, invalidShape } from '../core/errors.js';
import type { ForwardResult } from '../core/results.js';
import type { Tensor } from '../core/tensor.js';
import { swapLeadingAxes } from '../core/prepared-input.js';
import { headForward } from '../cpu/head.js';
import type { OnnxModel } from '../formats/onnx/read.js';
import { viewResult, type TimeMajorResults } from '../formats/onnx/views.js';
import { directionCount, hiddenOutputSize } from '../model/config.js';
import type { ForwardOptions } from './forward-input.js';

/** Runs one forward call (a Runner's forward, or the CPU reference). */
export type Forward = (x: ArrayLike<number>, options: ForwardOptions) => Promise<ForwardResult> | ForwardResult;

/** The rows of a [A, B, W] array (axis 1) kept, in order. */
function pickAxis1(data: ArrayLike<number>, A: number, B: number, W: number, rows: number[]): Float64Array {
  const out = new Float64Array(A * rows.length * W);
  for (let a = 0; a < A; a++) rows.forEach((b, j) => out.set(Array.prototype.slice.call(data, (a * B + b) * W, (a * B + b + 1) * W), (a * rows.length + j) * W));
  return out;
}

/** The inverse: a [A, B, W] array holding `part`'s rows at `rows`, `fill` (per W) elsewhere. */
function placeAxis1(part: ArrayLike<number>, A: number, B: number, W: number, rows: number[], fill: ArrayLike<number> | null): Float64Array {
  const out = new Float64Array(A * B * W);
  if (fill) for (let k = 0; k < A * B; k++) out.set(fill, k * W);
  for (let a = 0; a < A; a++) rows.forEach((b, j) => out.set(Array.prototype.slice.call(part, (a * rows.length + j) * W, (a * rows.length + j + 1) * W), (a * B + b) * W));
  return out;
}

/**
 * Runs an ONNX model (read by modelFromOnnx) on the graph's own inputs and returns every graph
 * output by name, in the file's layouts. Sequences of length 0, which ONNX allows and this
 * library's forward does not, are mapped: they are left out of the call and given what
 * onnxruntime gives them — zero outputs and zero final states (and the head's output on zeros).
 *
 * @example
 * const outputs = await runOnnx(onnx, (x, o) => runner.forward(x, o), { X: { shape: [T, B, I], data } });
 */
export async function runOnnx(onnx: OnnxModel, forward: Forward, feeds: Record<string, Tensor<ArrayLike<number>>>): Promise<Map<string, Tensor<Float64Array>>> {
  const { model, inputs } = onnx;
  const config = model.config;
  const x = feeds[inputs.x];
  if (!x || x.shape.length !== 3) throw invalidShape(`onnx input ${JSON.stringify(inputs.x)}: expected a 3-D tensor, got ${x ? formatShape(x.shape) : 'nothing'}`);
  for (const name of Object.keys(feeds)) {
    if (![inputs.x, inputs.h0, inputs.c0, inputs.lengths].includes(name)) throw invalidArgument(`onnx input ${JSON.stringify(name)}: the graph has no such input`);
  }
  const [T, B] = config.batchFirst ? [x.shape[1], x.shape[0]] : [x.shape[0], x.shape[1]];
  const D = directionCount(config);
  const R = hiddenOutputSize(config);
  const H = config.hiddenSize;
  const I = config.inputSize;
  const lengths = inputs.lengths && feeds[inputs.lengths] ? Array.from(feeds[inputs.lengths].data) : null;
  const kept = Array.from({ length: B }, (_, b) => b).filter((b) => !lengths || lengths[b] !== 0);
  const state = (name: string | undefined, width: number) => {
    const t = name ? feeds[name] : undefined;
    if (!t) return undefined;
    const data = inputs.statesBatchMajor ? swapLeadingAxes(Float64Array.from(t.data), B, config.numLayers * D, width) : Float64Array.from(t.data);
    return pickAxis1(data, config.numLayers * D, B, width, kept);
  };
  let result: ForwardResult | null = null;
  if (kept.length > 0) {
    const xTimeMajor = config.batchFirst ? swapLeadingAxes(Float64Array.from(x.data), B, T, I) : Float64Array.from(x.data);
    const xKept = pickAxis1(xTimeMajor, T, B, I, kept);
    const options: ForwardOptions = {
      steps: T,
      batch: kept.length,
      ...(state(inputs.h0, R) ? { h0: state(inputs.h0, R) } : {}),
      ...(state(inputs.c0, H) ? { c0: state(inputs.c0, H) } : {}),
      ...(lengths ? { lengths: kept.map((b) => lengths[b]) } : {}),
    };
    result = await forward(config.batchFirst ? swapLeadingAxes(xKept, T, kept.length, I) : xKept, options);
  }
  const n = kept.length;
  const timeMajor = (t: Tensor | undefined, width: number) => (t && config.batchFirst ? swapLeadingAxes(Float64Array.from(t.data), n, T, width) : (t?.data ?? new Float64Array(0)));
  const over = config.head?.over;
  const O = config.head ? (result?.prediction?.shape.at(-1) ?? headForward(model, new Float64Array(D * R), 1).prediction.length) : 0;
  const zeroPrediction = config.head ? headForward(model, new Float64Array(D * R), 1).prediction : null;
  const results: TimeMajorResults = {
    steps: T,
    batch: B,
    output: placeAxis1(timeMajor(result?.output, D * R), T, B, D * R, kept, null),
    hN: placeAxis1(result?.hN.data ?? [], config.numLayers * D, B, R, kept, null),
    cN: placeAxis1(result?.cN.data ?? [], config.numLayers * D, B, H, kept, null),
    ...(config.head
      ? { prediction: over === 'sequence' ? placeAxis1(timeMajor(result?.prediction, O), T, B, O, kept, zeroPrediction) : placeAxis1(result?.prediction?.data ?? [], 1, B, O, kept, zeroPrediction) }
      : {}),
  };
  return new Map(onnx.outputs.map(({ name, view }) => [name, viewResult(config, view, results)]));
}

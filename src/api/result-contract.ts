import { LstmError } from '../core/errors.js';
import type { ForwardOptions } from '../core/forward-options.js';
import { kTraceFields, type ForwardResult } from '../core/results.js';
import { directionCount, hiddenOutputSize, type LstmConfig } from '../model/config.js';
import { headInputSize, headOutputSize } from '../model/head.js';

/** The tensor keys of a forward result, in the order they are documented (src/core/results.ts). */
export type ResultTensorKey = 'output' | 'hN' | 'cN' | 'prediction';

/**
 * The forward-result contract every backend and runtime is held to: which keys a call's result
 * has, and each tensor's shape in the caller's layout.
 * - output [T, B, D·P] ([B, T, D·P] batchFirst), hN [L·D, B, P], cN [L·D, B, H] (P = projSize or H);
 * - prediction, exactly when the model has a dense head: [B, O], or [T, B, O] ([B, T, O]) over 'sequence';
 * - trace, exactly when the call asked for it: L·D entries, each field time-major [T, B, ·];
 * - stats, always.
 */
export function resultShapes(config: LstmConfig, steps: number, batch: number): Partial<Record<ResultTensorKey, readonly number[]>> {
  const D = directionCount(config);
  const P = hiddenOutputSize(config);
  const seq = (width: number) => (config.batchFirst ? [batch, steps, width] : [steps, batch, width]);
  const shapes: Partial<Record<ResultTensorKey, readonly number[]>> = {
    output: seq(D * P),
    hN: [config.numLayers * D, batch, P],
    cN: [config.numLayers * D, batch, config.hiddenSize],
  };
  if (config.head) {
    const O = headOutputSize(config.head, headInputSize(P, D));
    shapes.prediction = config.head.over === 'sequence' ? seq(O) : [batch, O];
  }
  return shapes;
}

/** The keys a result must have, no more and no fewer, sorted. */
export function resultKeys(config: LstmConfig, options: Pick<ForwardOptions, 'trace'>): string[] {
  return [...Object.keys(resultShapes(config, 1, 1)), ...(options.trace ? ['trace'] : []), 'stats'].sort();
}

/**
 * What is wrong with a result under the contract, one sentence per fault (empty when none): a key
 * missing or unexpected, a tensor of the wrong shape or size, a trace of the wrong length.
 */
export function contractFaults(config: LstmConfig, options: Pick<ForwardOptions, 'steps' | 'batch' | 'trace'>, result: ForwardResult): string[] {
  const faults: string[] = [];
  const expected = resultKeys(config, options);
  const present = Object.keys(result).filter((key) => (result as unknown as Record<string, unknown>)[key] !== undefined);
  for (const key of expected) if (!present.includes(key)) faults.push(`${key} is missing`);
  for (const key of present) if (!expected.includes(key)) faults.push(`${key} is not part of this call's result`);
  const shapes = resultShapes(config, options.steps, options.batch);
  for (const [key, shape] of Object.entries(shapes) as [ResultTensorKey, readonly number[]][]) {
    const tensor = result[key];
    if (!tensor) continue;
    if (tensor.shape.join() !== shape.join()) faults.push(`${key} has shape [${tensor.shape.join(', ')}], expected [${shape.join(', ')}]`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (tensor.data.length !== size) faults.push(`${key} holds ${tensor.data.length} values, expected ${size}`);
  }
  if (options.trace && result.trace) {
    const D = directionCount(config);
    if (result.trace.length !== config.numLayers * D) faults.push(`trace has ${result.trace.length} entries, expected ${config.numLayers * D} (L·D)`);
    const widths = { i: config.hiddenSize, f: config.hiddenSize, g: config.hiddenSize, o: config.hiddenSize, c: config.hiddenSize, h: hiddenOutputSize(config) };
    for (const entry of result.trace) {
      for (const field of kTraceFields) {
        const size = options.steps * options.batch * widths[field];
        if (entry[field]?.length !== size) faults.push(`trace layer ${entry.layer} direction ${entry.direction} ${field} holds ${entry[field]?.length ?? 0} values, expected ${size} ([T, B, ·])`);
      }
    }
  }
  return faults;
}

/**
 * Returns `result` when it keeps the contract; otherwise throws BACKEND_UNAVAILABLE naming `who`
 * and every fault: a backend that drops or misshapes a key must fail loudly, never pass as complete.
 */
export function checkForwardResult(config: LstmConfig, options: Pick<ForwardOptions, 'steps' | 'batch' | 'trace'>, result: ForwardResult, who: string): ForwardResult {
  const faults = contractFaults(config, options, result);
  if (faults.length > 0) throw new LstmError('BACKEND_UNAVAILABLE', `forward: ${who} broke the result contract: ${faults.join('; ')}`);
  return result;
}

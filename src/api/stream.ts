import type { BackendRunner } from '../core/backend-runner.js';
import { describeValue, formatShape } from '../core/describe.js';
import { invalidArgument, invalidShape, LstmError } from '../core/errors.js';
import { checkNonFinitePolicy, countNonFinite, enforceFinite, type NonFinitePolicy } from '../core/non-finite.js';
import { swapLeadingAxes } from '../core/prepared-input.js';
import type { ResultStats } from '../core/results.js';
import type { BackendStream, StreamOutputs } from '../core/stream.js';
import type { Tensor } from '../core/tensor.js';
import { checkDimension, hiddenOutputSize, type LstmConfig } from '../model/config.js';
import type { LSTM } from '../model/lstm.js';
import { prepareInput } from './forward-input.js';

export type { StreamOutputs };

export interface StreamOptions {
  /** B: the sequence slots the stream advances together. */
  readonly batch: number;
  /** 'all' (default): every pushed step's output; 'last': only the last pushed step's. */
  readonly outputs?: StreamOutputs;
  /** NaN or ±Infinity in x, h0 or c0: 'reject' (default) or 'propagate', as in forward (NonFinitePolicy). */
  readonly nonFinite?: NonFinitePolicy;
}

export interface StreamResult {
  /**
   * 'all': [k, B, H] ([B, k, H] with batchFirst) for k pushed steps; 'last': [B, H], the output of
   * the last pushed step. H is the width of h (projSize where the model projects).
   */
  readonly output: Tensor;
  readonly stats: ResultStats;
}

/**
 * B sequences advanced a few steps at a time, their (h, c) kept by the backend between calls (on
 * the GPU for WebGPU: nothing of the state crosses to the CPU). Every slot starts at zero state.
 * Pushing x₁ (k₁ steps) then x₂ (k₂ steps) gives the outputs one forward call over the k₁ + k₂
 * steps gives (to float32 rounding on WebGPU), and state() its h_n and c_n. Calls are applied in
 * the order they are made.
 */
export interface LstmStream {
  readonly batch: number;
  readonly outputs: StreamOutputs;
  /** One step: x is [B, I]. */
  step(x: ArrayLike<number>): Promise<StreamResult>;
  /** `steps` steps: x is [steps, B, I] ([B, steps, I] with batchFirst), flat and row-major. */
  push(x: ArrayLike<number>, steps: number): Promise<StreamResult>;
  /**
   * Restarts one slot (0 ≤ slot < B) from h0 [L, H] and c0 [L, hiddenSize] (zeros when absent);
   * the other slots carry on. H is the width of h (projSize where the model projects).
   */
  reset(slot: number, h0?: ArrayLike<number>, c0?: ArrayLike<number>): Promise<void>;
  /** Every slot's state now: hN [L, B, H] and cN [L, B, hiddenSize], as forward's h_n and c_n. */
  state(): Promise<{ hN: Tensor; cN: Tensor }>;
  /** Frees what the stream holds; safe to call twice. */
  dispose(): void;
}

/**
 * Opens a stream of `options.batch` slots on a loaded model. A bidirectional or go_backwards model
 * needs each sequence's future (its reverse pass starts at the end), so it is INVALID_ARGUMENT.
 */
export function openStream(model: LSTM, backend: BackendRunner, options: StreamOptions): LstmStream {
  const config = model.config;
  if (options === null || typeof options !== 'object') throw invalidArgument(`stream options: expected { batch, outputs? }, got ${describeValue(options)}`);
  const batch = checkDimension('options.batch', options.batch);
  const outputs = options.outputs ?? 'all';
  if (outputs !== 'all' && outputs !== 'last') throw invalidArgument(`options.outputs: expected 'all' or 'last', got ${describeValue(outputs)}`);
  const nonFinite = checkNonFinitePolicy('options.nonFinite', options.nonFinite);
  if (config.bidirectional || config.goBackwards) {
    throw invalidArgument(
      `stream: this model is ${config.bidirectional ? 'bidirectional' : 'go_backwards'}, and its reverse pass starts at each sequence's end, which a stream has not seen yet; stream a unidirectional model, or call forward over whole sequences`,
    );
  }
  if (!backend.openStream) throw new LstmError('BACKEND_UNAVAILABLE', `stream: the ${backend.kind} backend does not stream`);
  const inner = backend.openStream(batch, outputs);
  const W = hiddenOutputSize(config);
  const push = async (x: ArrayLike<number>, steps: number): Promise<StreamResult> => {
    const k = checkDimension('steps', steps);
    const input = prepareInput(config, x, { steps: k, batch, nonFinite });
    const { output, stats } = await inner.push(input.x, k);
    const shaped: Tensor =
      outputs === 'last'
        ? { shape: [batch, W], data: output }
        : config.batchFirst
          ? { shape: [batch, k, W], data: swapLeadingAxes(output, k, batch, W) }
          : { shape: [k, batch, W], data: output };
    return { output: shaped, stats: { ...stats, nonFiniteOutputs: countNonFinite(output) } };
  };
  return {
    batch,
    outputs,
    step: (x) => push(x, 1),
    push,
    async reset(slot, h0, c0) {
      if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 0 || slot >= batch) {
        throw invalidArgument(`slot: expected an integer in [0, ${batch - 1}], got ${describeValue(slot)}`);
      }
      const h = h0 === undefined ? null : slotState('h0', h0, config, W, nonFinite);
      const c = c0 === undefined ? null : slotState('c0', c0, config, config.hiddenSize, nonFinite);
      await inner.reset(slot, h, c);
    },
    async state() {
      const { h, c } = await inner.state();
      const L = config.numLayers;
      return { hN: { shape: [L, batch, W], data: h }, cN: { shape: [L, batch, config.hiddenSize], data: c } };
    },
    dispose: () => inner.dispose(),
  };
}

/** One slot's state [L, width] as float64, checked like forward's h0 and c0. */
function slotState(name: string, value: ArrayLike<number>, config: LstmConfig, width: number, policy: NonFinitePolicy): Float64Array {
  const shape = [config.numLayers, width];
  const isList = value !== null && typeof value === 'object' && typeof value.length === 'number';
  if (!isList || value.length !== shape[0] * shape[1]) {
    throw invalidShape(`${name}: expected ${shape[0] * shape[1]} numbers for shape ${formatShape(shape)}, got ${describeValue(value)}`);
  }
  const out = new Float64Array(value.length);
  for (let i = 0; i < out.length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'number') throw invalidArgument(`${name}[${i}] is ${describeValue(v)}; expected a number`);
    out[i] = v;
  }
  enforceFinite(policy, name, out, shape, ['layer', 'unit'], "options.nonFinite: 'propagate'");
  return out;
}

import type { PreparedInput } from '../core/prepared-input.js';
import type { GradientResult, LossKind, TrainingBatch } from '../core/training.js';
import { directionCount } from '../model/config.js';
import { headOutputSize, headInputSize } from '../model/head.js';
import type { LSTM } from '../model/lstm.js';
import { paramSpecs } from '../model/params.js';
import { lstmBackward, type LstmGradients } from './backward.js';
import { headBackward, headOverResults, type HeadPass, type LstmResults } from './head.js';
import { countedRows, lossAndGradient, lossReadsLogits } from './losses.js';
import { referenceForward } from './reference.js';

/**
 * The LSTM's part of a training pass, on one engine (the float64 reference here, the wasm engine
 * in src/wasm/train/): forward, then — when asked for — backpropagation through time from the
 * head's gradients. The head, the loss and the optimizer stay on the host in float64.
 */
export interface LstmPasses {
  forward(model: LSTM, input: PreparedInput, forBackward: boolean): LstmForward;
  /** The trainer changed its model's parameters in place: whatever the passes derived from them is stale. */
  parametersChanged?(): void;
}

/** One forward pass's results, float64 time-major: output [T, B, D·H] (may be made on first read), hN [L·D, B, H]. */
export interface LstmForward extends LstmResults {
  /**
   * BPTT from ∂L/∂output [T, B, D·H] and ∂L/∂h_n [L·D, B, H] (either null for zero); only after a
   * forward for backward. dx, dh0 and dc0 are computed only where `withDx` (a step does not need
   * them; they may be zeros otherwise). The parameters' gradient arrays may be the passes' own,
   * written again by their next backward: a caller that keeps them copies them.
   */
  backward(dOutput: Float64Array | null, dhN: Float64Array | null, withDx: boolean): LstmGradients;
  /** Frees what the pass holds (its records); safe to call twice. */
  release(): void;
}

/** The float64 reference as LstmPasses (src/cpu/reference.ts, src/cpu/backward.ts). */
export const kReferencePasses: LstmPasses = {
  forward(model, input, forBackward) {
    const result = referenceForward(model, { ...input, trace: forBackward });
    return {
      output: result.output,
      hN: result.hN,
      backward: (dOutput, dhN) => lstmBackward(model, input, result.trace!, dOutput, dhN),
      release: () => {},
    };
  },
};

/** A forward pass through the LSTM and its head, with what backward needs. */
export interface ModelPass {
  readonly lstm: LstmForward;
  readonly head: HeadPass;
  /** O: the prediction's width. */
  readonly width: number;
}

/** Runs the LSTM (recording for backward when `forBackward`) and the head. The model must have a head; release() the pass. */
export function modelForward(passes: LstmPasses, model: LSTM, input: PreparedInput, forBackward: boolean): ModelPass {
  const lstm = passes.forward(model, input, forBackward);
  try {
    const width = headOutputSize(model.config.head!, headInputSize(model.config.hiddenSize, directionCount(model.config)));
    return { lstm, head: headOverResults(model, lstm, input.steps, input.batch), width };
  } catch (error) {
    lstm.release();
    throw error;
  }
}

/** The head's prediction (time-major) under the model's parameters. */
export function predictionOf(passes: LstmPasses, model: LSTM, input: PreparedInput): Float64Array {
  const pass = modelForward(passes, model, input, false);
  pass.lstm.release();
  return pass.head.prediction;
}

function batchLoss(model: LSTM, loss: LossKind, batch: TrainingBatch, pass: ModelPass) {
  const { input } = batch;
  const counts = countedRows(model.config.head!.over, input.lengths, input.steps, input.batch);
  const values = lossReadsLogits(loss) ? pass.head.logits : pass.head.prediction;
  return lossAndGradient(loss, values, batch.target, counts, pass.head.rows, pass.width);
}

/** The batch's mean loss under the model's parameters. */
export function lossOf(passes: LstmPasses, model: LSTM, loss: LossKind, batch: TrainingBatch): number {
  const pass = modelForward(passes, model, batch.input, false);
  pass.lstm.release();
  return batchLoss(model, loss, batch, pass).value;
}

/**
 * The batch's loss and the gradient of every parameter (bias_hh included), x, h0 and c0: the
 * loss's gradient goes back through the head, then into the LSTM — at every output step over
 * 'sequence', or at the top layer's final states over 'last' — and back through time. dx is zero
 * unless `withDx` (an optimizer step does not need it).
 */
export function gradientsOf(passes: LstmPasses, model: LSTM, loss: LossKind, batch: TrainingBatch, withDx = true): GradientResult {
  const { input } = batch;
  const pass = modelForward(passes, model, input, true);
  try {
    const { value, gradient } = batchLoss(model, loss, batch, pass);
    const head = headBackward(model, pass.head, gradient, lossReadsLogits(loss));
    const over = model.config.head!.over;
    const dhN = over === 'last' ? topStateGradient(model, head.dFeatures, input.batch) : null;
    const lstm = pass.lstm.backward(over === 'sequence' ? head.dFeatures : null, dhN, withDx);
    const all = new Map([...lstm.grads, ...head.grads]);
    const grads = new Map(paramSpecs(model.config).map((spec) => [spec.name, all.get(spec.name)!]));
    return { loss: value, grads, dx: lstm.dx, dh0: lstm.dh0, dc0: lstm.dc0 };
  } finally {
    pass.lstm.release();
  }
}

/** ∂L/∂h_n [L·D, B, H] from ∂L/∂features [B, D·H] over 'last': only the top layer's entries are non-zero. */
function topStateGradient(model: LSTM, dFeatures: Float64Array, batch: number): Float64Array {
  const { hiddenSize: H, numLayers: L } = model.config;
  const D = directionCount(model.config);
  const dhN = new Float64Array(L * D * batch * H);
  for (let b = 0; b < batch; b++) {
    for (let d = 0; d < D; d++) dhN.set(dFeatures.subarray((b * D + d) * H, (b * D + d + 1) * H), (((L - 1) * D + d) * batch + b) * H);
  }
  return dhN;
}

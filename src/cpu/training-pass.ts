import type { PreparedInput } from '../core/prepared-input.js';
import type { GradientResult, LossKind, TrainingBatch } from '../core/training.js';
import { directionCount } from '../model/config.js';
import { headOutputSize, headInputSize } from '../model/head.js';
import type { LSTM } from '../model/lstm.js';
import { paramSpecs } from '../model/params.js';
import { lstmBackward } from './backward.js';
import { headBackward, headOverResults, type HeadPass } from './head.js';
import { countedRows, lossAndGradient, lossReadsLogits } from './losses.js';
import { referenceForward, type ReferenceResult } from './reference.js';

/** A forward pass through the LSTM and its head, with what backward needs (the trace and the head's pass). */
export interface ModelPass {
  readonly lstm: ReferenceResult;
  readonly head: HeadPass;
  /** O: the prediction's width. */
  readonly width: number;
}

/** Runs the LSTM (recording its trace when `forBackward`) and the head. The model must have a head. */
export function modelForward(model: LSTM, input: PreparedInput, forBackward: boolean): ModelPass {
  const lstm = referenceForward(model, { ...input, trace: forBackward });
  const width = headOutputSize(model.config.head!, headInputSize(model.config.hiddenSize, directionCount(model.config)));
  return { lstm, head: headOverResults(model, lstm.output, lstm.hN, input.steps, input.batch), width };
}

function batchLoss(model: LSTM, loss: LossKind, batch: TrainingBatch, pass: ModelPass) {
  const { input } = batch;
  const counts = countedRows(model.config.head!.over, input.lengths, input.steps, input.batch);
  const values = lossReadsLogits(loss) ? pass.head.logits : pass.head.prediction;
  return lossAndGradient(loss, values, batch.target, counts, pass.head.rows, pass.width);
}

/** The batch's mean loss under the model's parameters. */
export function lossOf(model: LSTM, loss: LossKind, batch: TrainingBatch): number {
  return batchLoss(model, loss, batch, modelForward(model, batch.input, false)).value;
}

/**
 * The batch's loss and the gradient of every parameter (bias_hh included), x, h0 and c0: the
 * loss's gradient goes back through the head, then into the LSTM — at every output step over
 * 'sequence', or at the top layer's final states over 'last' — and back through time.
 */
export function gradientsOf(model: LSTM, loss: LossKind, batch: TrainingBatch): GradientResult {
  const { input } = batch;
  const pass = modelForward(model, input, true);
  const { value, gradient } = batchLoss(model, loss, batch, pass);
  const head = headBackward(model, pass.head, gradient, lossReadsLogits(loss));
  const over = model.config.head!.over;
  const dhN = over === 'last' ? topStateGradient(model, head.dFeatures, input.batch) : null;
  const lstm = lstmBackward(model, input, pass.lstm.trace!, over === 'sequence' ? head.dFeatures : null, dhN);
  const all = new Map([...lstm.grads, ...head.grads]);
  const grads = new Map(paramSpecs(model.config).map((spec) => [spec.name, all.get(spec.name)!]));
  return { loss: value, grads, dx: lstm.dx, dh0: lstm.dh0, dc0: lstm.dc0 };
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

// The WGSL sources, inlined into the bundle at build time (so the built package never needs the
// source tree). Nothing else lives here.
import activations from '../../shaders/activations.wgsl?raw';
import inputProjection from '../../shaders/input_projection.wgsl?raw';
import lstmCell from '../../shaders/lstm_cell.wgsl?raw';
import lstmPeephole from '../../shaders/lstm_peephole.wgsl?raw';
import lstmNoPeephole from '../../shaders/lstm_no_peephole.wgsl?raw';
import lstmSequence from '../../shaders/lstm_sequence.wgsl?raw';
import lstmStep from '../../shaders/lstm_step.wgsl?raw';
import lstmStepSplit from '../../shaders/lstm_step_split.wgsl?raw';
import lstmStepSubgroup from '../../shaders/lstm_step_subgroup.wgsl?raw';
import biasSum from '../../shaders/bias_sum.wgsl?raw';
import gatherLast from '../../shaders/gather_last.wgsl?raw';
import denseForward from '../../shaders/dense_forward.wgsl?raw';
import lossRows from '../../shaders/loss_rows.wgsl?raw';
import reduceSum from '../../shaders/reduce_sum.wgsl?raw';
import gradNorm from '../../shaders/grad_norm.wgsl?raw';
import denseActBackward from '../../shaders/dense_act_backward.wgsl?raw';
import denseWeightGrad from '../../shaders/dense_weight_grad.wgsl?raw';
import denseInputGrad from '../../shaders/dense_input_grad.wgsl?raw';
import lstmCellBackward from '../../shaders/lstm_cell_backward.wgsl?raw';
import lstmBackwardStep from '../../shaders/lstm_backward_step.wgsl?raw';
import lstmWeightGrad from '../../shaders/lstm_weight_grad.wgsl?raw';
import weightGradSource from '../../shaders/weight_grad_source.wgsl?raw';
import lstmBackwardSequence from '../../shaders/lstm_backward_sequence.wgsl?raw';
import transposeRecurrent from '../../shaders/transpose_recurrent.wgsl?raw';
import lstmInputGrad from '../../shaders/lstm_input_grad.wgsl?raw';
import optimizerUpdate from '../../shaders/optimizer_update.wgsl?raw';
import swapAxes from '../../shaders/swap_axes.wgsl?raw';
import splitState from '../../shaders/split_state.wgsl?raw';

export const kShaderSources = { activations, inputProjection, lstmCell, lstmPeephole, lstmNoPeephole, lstmSequence, lstmStep, lstmStepSplit, lstmStepSubgroup } as const;

/** The training kernels' sources (src/gpu/kernels/dense.ts, train.ts). */
export const kTrainShaderSources = {
  biasSum, gatherLast, denseForward, lossRows, reduceSum, gradNorm, denseActBackward, denseWeightGrad, denseInputGrad,
  lstmCellBackward, lstmBackwardStep, lstmWeightGrad, lstmInputGrad, optimizerUpdate, weightGradSource, lstmBackwardSequence,
  transposeRecurrent,
} as const;

/** The kernels of forward calls whose input or results stay on the GPU (src/gpu/kernels/io.ts). */
export const kIoShaderSources = { swapAxes, splitState } as const;

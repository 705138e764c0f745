import type { LossKind } from '../../core/training.js';
import { directionCount, layerInputSize } from '../../model/config.js';
import { denseInputSizes, headInputSize } from '../../model/head.js';
import { kActBackwardDims, kActivationCodes, kDenseInputGradDims, kDenseWeightGradDims, rowWorkgroups } from '../kernels/dense.js';
import { uniformBytes } from '../kernels/kernel.js';
import { kStepParams } from '../kernels/lstm-step.js';
import {
  f32Bits, inputGradWorkgroups, kBackwardDims, kBackwardStepUnits, kInputGradDims, kLossDims, kReduceDims, kWeightGradDims, kWeightGradSourceDims,
  weightGradKernelKey, weightGradQuads, weightGradWorkgroups,
} from '../kernels/train.js';
import { kTransposeDims, type BackwardPath } from '../kernels/train-sequence.js';
import type { CommandBuilder, UniformRef } from './command-builder.js';
import { headInput, paramRange, type TrainContext } from './forward-commands.js';
import { lstmRegions } from './param-layout.js';
import type { TrainShapeBuffers } from './shape-buffers.js';

const kLossCodes: Record<LossKind, number> = { mse: 0, mae: 1, huber: 2, 'binary-cross-entropy': 3, 'cross-entropy': 4 };
const kMaxGroups = 65535;

/** Whether the loss reads the last dense layer's logits (its sigmoid, softmax or log_softmax folded in). */
function folded(loss: LossKind): boolean {
  return loss === 'binary-cross-entropy' || loss === 'cross-entropy';
}

/**
 * Each row's loss and the loss's gradient, then the deterministic sum into buffers.loss[0].
 * Returns the loss kernel's uniform, whose 1/n the call rewrites (n depends on the lengths).
 */
export function addLoss(ctx: TrainContext, builder: CommandBuilder, buffers: TrainShapeBuffers<GPUBuffer>, loss: LossKind, T: number, B: number): { lossDims: UniformRef; reduceDims: UniformRef } {
  const { config } = ctx;
  const head = config.head!;
  const rows = head.over === 'last' ? B : T * B;
  const layers = head.layers.length;
  const width = layers === 0 ? headInputSize(config.hiddenSize, directionCount(config)) : head.layers[layers - 1].outFeatures;
  const last = buffers.dense[layers - 1];
  const values = layers === 0 ? headInput(config, buffers) : folded(loss) ? last.z : last.a;
  const gradient = layers === 0 ? buffers.dFeatures : folded(loss) ? last.dz : last.da;
  const lossDims = builder.uniform(kLossDims, { rows, width, kind: kLossCodes[loss], batch: B, masked: head.over === 'sequence' ? 1 : 0, inv_count: f32Bits(1), _pad0: 0, _pad1: 0 });
  builder.dispatch(ctx.kernels.loss_rows, 'loss rows', { dims: lossDims, lengths: buffers.lengths, values, targets: buffers.target, row_loss: buffers.rowLoss, gradient }, rowWorkgroups(rows, kMaxGroups));
  const reduceDims = builder.uniform(kReduceDims, { count: rows, offset: 0, square: 0, scale: f32Bits(1), out_index: 0, _pad0: 0, _pad1: 0, _pad2: 0 });
  builder.dispatch(ctx.kernels.reduce_sum, 'loss sum', { dims: reduceDims, values: buffers.rowLoss, result: buffers.loss }, [1, 1, 1]);
  return { lossDims, reduceDims };
}

/** Back through the head, last dense layer first: dz, ∂W and ∂b, and the gradient passed down (finally ∂L/∂features). */
export function addHeadBackward(ctx: TrainContext, builder: CommandBuilder, buffers: TrainShapeBuffers<GPUBuffer>, loss: LossKind, T: number, B: number): void {
  const { config, layout, kernels } = ctx;
  const head = config.head!;
  const rows = head.over === 'last' ? B : T * B;
  const inSizes = denseInputSizes(head, headInputSize(config.hiddenSize, directionCount(config)));
  for (let k = head.layers.length - 1; k >= 0; k--) {
    const dense = head.layers[k];
    const bufs = buffers.dense[k];
    const outs = dense.outFeatures;
    if (!(k === head.layers.length - 1 && folded(loss))) {
      const dims = builder.uniform(kActBackwardDims, { rows, outs, activation: kActivationCodes[dense.activation], _pad: 0 });
      builder.dispatch(kernels.dense_act_backward, `dense ${k} activation backward`, { dims, z: bufs.z, a: bufs.a, da: bufs.da, dz: bufs.dz }, rowWorkgroups(rows, kMaxGroups));
    }
    const w = layout.regions.get(`head.${k}.weight`)!.offset;
    const x = k === 0 ? headInput(config, buffers) : buffers.dense[k - 1].a;
    const gradDims = builder.uniform(kDenseWeightGradDims, { rows, inner: inSizes[k], outs, w_offset: w, b_offset: layout.regions.get(`head.${k}.bias`)!.offset, _pad0: 0, _pad1: 0, _pad2: 0 });
    builder.dispatch(kernels.dense_weight_grad, `dense ${k} weight grad`, { dims: gradDims, dz: bufs.dz, x, grads: ctx.grads }, [Math.ceil((inSizes[k] + 1) / 64), outs, 1]);
    const inputDims = builder.uniform(kDenseInputGradDims, { rows, inner: inSizes[k], outs, w_offset: w });
    const dx = k === 0 ? buffers.dFeatures : buffers.dense[k - 1].da;
    builder.dispatch(kernels.dense_input_grad, `dense ${k} input grad`, { dims: inputDims, dz: bufs.dz, params: ctx.params, dx }, [Math.ceil(rows / 64), inSizes[k], 1]);
  }
}

/**
 * Backpropagation through time, top layer first (docs/training.md): per direction the reverse
 * walk (on the 'sequence' path one persistent dispatch, ctx.kernels.backward_sequence; on 'steps'
 * one dispatch per step, then one for δh0/δc0), then the weight gradients as GEMMs over all
 * T·B rows, then the gradient of the layer's input from both directions — for every layer but 0:
 * only gradients() wants dx, and it adds addInputGradient(…, 0, …) itself. singleBias leaves
 * ∂b_hh at zero (it is not trained).
 */
export function addLstmBackward(ctx: TrainContext, builder: CommandBuilder, buffers: TrainShapeBuffers<GPUBuffer>, T: number, B: number, options: { singleBias: boolean; path: BackwardPath }): void {
  const { config, layout, kernels } = ctx;
  const [H, D, L] = [config.hiddenSize, directionCount(config), config.numLayers];
  const over = config.head!.over;
  const traceField = T * B * H;
  const stepParams = { buffer: buffers.stepIndices, size: uniformBytes(kStepParams) };
  for (let layer = L - 1; layer >= 0; layer--) {
    const top = layer === L - 1;
    // The head's gradient: at every step over 'sequence' (above), at h_n over 'last' (final), both from dFeatures.
    const above = top ? buffers.dFeatures : buffers.dOutputs[layer];
    const K = layerInputSize(config, layer);
    for (let direction = 0; direction < D; direction++) {
      const ld = layer * D + direction;
      const regions = lstmRegions(config, layout, layer, direction);
      const dims = builder.uniform(kBackwardDims, {
        batch: B, units: H, reverse: direction, steps: T, above_stride: D * H, above_offset: direction * H,
        has_above: top && over === 'last' ? 0 : 1, has_final: top && over === 'last' ? 1 : 0,
        trace_base: ld * 6 * traceField, trace_field: traceField, state_base: ld * B * H, _pad: 0,
      });
      const resources = {
        step_params: stepParams, dims, lengths: buffers.lengths, trace: buffers.trace, w_hh: paramRange(ctx, regions.weightHh.spec.name),
        above, c0: buffers.c0, dz: buffers.dz[direction], dh0: buffers.dh0, dc0: buffers.dc0,
      };
      const path = options.path;
      if (path.kind === 'sequence') {
        const { step_params: _, w_hh: wHh, ...persistent } = resources;
        const wt = buffers.recurrentTransposed;
        builder.dispatch(kernels.transpose_recurrent, `transpose W_hh ${ld}`, { dims: builder.uniform(kTransposeDims, { units: H, _pad0: 0, _pad1: 0, _pad2: 0 }), w_hh: wHh, wt }, [Math.ceil(H / 64), H, 1]);
        builder.dispatch(kernels.backward_sequence, `backward ${ld}`, { ...persistent, w_hh_t: wt }, [Math.ceil(B / path.batchTile), 1, 1]);
      } else {
        for (let q = 0; q <= T; q++) {
          builder.dispatch(kernels.lstm_backward_step, `backward ${ld}:${q}`, resources, [Math.ceil(H / kBackwardStepUnits), B, 1], [q * ctx.stepStride]);
        }
      }
      const bias = regions.biasIh ? { bias_ih: regions.biasIh.offset / 4, bias_hh: regions.biasHh!.offset / 4, bias_count: options.singleBias ? 1 : 2 } : { bias_ih: 0, bias_hh: 0, bias_count: 0 };
      const source = { rows: T * B, batch: B, out_stride: D * H, out_offset: direction * H, reverse: direction, units: H, state_base: ld * B * H, _pad0: 0, _pad1: 0 };
      const gemm = (mode: 0 | 1, inner: number, x: GPUBuffer, wOffset: number, name: string) => {
        const quads = weightGradQuads(inner, mode === 0);
        const sourceDims = builder.uniform(kWeightGradSourceDims, { ...source, inner, quads, mode });
        builder.dispatch(kernels.weight_grad_source, `${name} rows ${ld}`, { dims: sourceDims, x, h0: buffers.h0, lengths: buffers.lengths, a: buffers.gemmSource }, rowWorkgroups(T * B * quads, kMaxGroups));
        const dims = builder.uniform(kWeightGradDims, { rows: T * B, inner, quads, units: H, mode, w_offset: wOffset, ...bias, _pad0: 0, _pad1: 0, _pad2: 0 });
        builder.dispatch(kernels[weightGradKernelKey(quads)], `${name} grad ${ld}`, { dims, a: buffers.gemmSource, dz: buffers.dz[direction], grads: ctx.grads }, weightGradWorkgroups(quads, H));
      };
      gemm(0, K, layer === 0 ? buffers.x : buffers.outputs[layer - 1], regions.weightIh.offset / 4, 'weight_ih');
      gemm(1, H, buffers.outputs[layer], regions.weightHh.offset / 4, 'weight_hh');
    }
    if (layer > 0) addInputGradient(ctx, builder, buffers, layer, T, B);
  }
}

/** ∂L/∂(layer's input) = Σ_d dz_d · W_ih,d: the layer below's output gradient, or dx for layer 0. */
export function addInputGradient(ctx: TrainContext, builder: CommandBuilder, buffers: TrainShapeBuffers<GPUBuffer>, layer: number, T: number, B: number): void {
  const { config, layout, kernels } = ctx;
  const [H, D, K] = [config.hiddenSize, directionCount(config), layerInputSize(config, layer)];
  const w = (d: number) => paramRange(ctx, lstmRegions(config, layout, layer, d).weightIh.spec.name);
  const dims = builder.uniform(kInputGradDims, { rows: T * B, inner: K, units: H, directions: D });
  builder.dispatch(kernels.lstm_input_grad, `input grad ${layer}`, {
    dims, dz0: buffers.dz[0], dz1: buffers.dz[D - 1], w0: w(0), w1: w(D - 1), dx: layer === 0 ? buffers.dx : buffers.dOutputs[layer - 1],
  }, inputGradWorkgroups(T * B, K));
}

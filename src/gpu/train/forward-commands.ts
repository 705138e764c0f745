import { directionCount, layerInputSize, type LstmConfig } from '../../model/config.js';
import { denseInputSizes, headInputSize } from '../../model/head.js';
import { kCellDims } from '../kernels/cell-bindings.js';
import { kActivationCodes, kDenseForwardDims, kGatherDims, rowWorkgroups } from '../kernels/dense.js';
import { uniformBytes } from '../kernels/kernel.js';
import { kProjectionDims, kTrainingProjectionBlock, projectionDims, projectionWorkgroups } from '../kernels/input-projection.js';
import { kStepParams, stepWorkgroups } from '../kernels/lstm-step.js';
import { kBiasSumDims } from '../kernels/train.js';
import type { CompiledKernel } from '../pipeline-cache.js';
import type { RecurrencePath } from '../plan.js';
import type { CommandBuilder } from './command-builder.js';
import { lstmRegions, type ParamLayout } from './param-layout.js';
import type { TrainShapeBuffers } from './shape-buffers.js';

const kFloat = 4;

/** What the command builders of a trainer share: its parameter buffer, layout and kernels. */
export interface TrainContext {
  readonly config: LstmConfig;
  readonly layout: ParamLayout;
  readonly params: GPUBuffer;
  readonly grads: GPUBuffer;
  /** Per layer-direction, b_ih + b_hh in the forward's [H] × vec4 layout. */
  readonly forwardBias: readonly GPUBuffer[];
  readonly kernels: Readonly<Record<string, CompiledKernel>>;
  readonly stepStride: number;
}

/** A sub-range of the parameter buffer: one tensor, bound where a kernel expects a whole weight. */
export function paramRange(ctx: TrainContext, name: string, buffer = ctx.params): GPUBufferBinding {
  const region = ctx.layout.regions.get(name)!;
  return { buffer, offset: region.offset * kFloat, size: Math.ceil(region.length / 4) * 4 * kFloat };
}

/** b_ih + b_hh of every layer-direction into the forward's bias buffers (trainer-wide, run first in every call). */
export function addBiasSums(ctx: TrainContext, builder: CommandBuilder): void {
  const { config, layout } = ctx;
  const D = directionCount(config);
  const H = config.hiddenSize;
  ctx.forwardBias.forEach((bias, ld) => {
    const regions = lstmRegions(config, layout, Math.floor(ld / D), ld % D);
    const dims = builder.uniform(kBiasSumDims, {
      units: H,
      ih: (regions.biasIh?.offset ?? 0) / 4,
      hh: (regions.biasHh?.offset ?? 0) / 4,
      has_bias: regions.biasIh ? 1 : 0,
    });
    builder.dispatch(ctx.kernels.bias_sum, `bias sum ${ld}`, { dims, params: ctx.params, bias }, [Math.ceil(H / 64), 1, 1]);
  });
}

/**
 * The traced forward of every layer (the forward kernels themselves: input projection, then the
 * recurrence on `path` with trace on) and the head's forward. Reads the current parameters in
 * place; leaves each layer's output, the trace, and every dense layer's z and a.
 */
export function addForward(ctx: TrainContext, builder: CommandBuilder, buffers: TrainShapeBuffers<GPUBuffer>, path: RecurrencePath, T: number, B: number): void {
  const { config, layout, kernels } = ctx;
  const [H, D] = [config.hiddenSize, directionCount(config)];
  const traceField = T * B * H;
  for (let layer = 0; layer < config.numLayers; layer++) {
    const K = layerInputSize(config, layer);
    const layerInput = layer === 0 ? buffers.x : buffers.outputs[layer - 1];
    const projDims = builder.uniform(kProjectionDims, projectionDims(T * B, K, H));
    for (let direction = 0; direction < D; direction++) {
      const ld = layer * D + direction;
      const regions = lstmRegions(config, layout, layer, direction);
      builder.dispatch(kernels.input_projection, `projection ${ld}`, {
        dims: projDims, x: layerInput, w: paramRange(ctx, regions.weightIh.spec.name), bias: ctx.forwardBias[ld], z: buffers.projection,
      }, projectionWorkgroups(T * B, H, kTrainingProjectionBlock));
      const dims = builder.uniform(kCellDims, {
        batch: B, units: H, out_stride: D * H, out_offset: direction * H, reverse: direction,
        trace_base: ld * 6 * traceField, trace_field: traceField, steps: T,
      });
      const [s0, s1] = buffers.states[ld];
      const cell = { dims, z_in: buffers.projection, w_hh: paramRange(ctx, regions.weightHh.spec.name), lengths: buffers.lengths, output: buffers.outputs[layer], trace: buffers.trace };
      if (path.kind === 'sequence') {
        builder.dispatch(kernels.recurrence, `sequence ${ld}`, { ...cell, state_in: s0, state_out: s1 }, [Math.ceil(B / path.batchTile), 1, 1]);
        continue;
      }
      const stepParams = { buffer: buffers.stepIndices, size: uniformBytes(kStepParams) };
      for (let s = 0; s < T; s++) {
        const [stateIn, stateOut] = s % 2 === 0 ? [s0, s1] : [s1, s0];
        builder.dispatch(kernels.recurrence, `step ${ld}:${s}`, { step_params: stepParams, ...cell, state_in: stateIn, state_out: stateOut }, stepWorkgroups(B, H), [s * ctx.stepStride]);
      }
    }
  }
  addHeadForward(ctx, builder, buffers, T, B);
}

/** The head's input buffer: the top layer's output over 'sequence', the gathered final states over 'last'. */
export function headInput(config: LstmConfig, buffers: TrainShapeBuffers<GPUBuffer>): GPUBuffer {
  return config.head!.over === 'sequence' ? buffers.outputs[config.numLayers - 1] : buffers.features;
}

function addHeadForward(ctx: TrainContext, builder: CommandBuilder, buffers: TrainShapeBuffers<GPUBuffer>, T: number, B: number): void {
  const { config, layout, kernels } = ctx;
  const head = config.head!;
  const [H, D] = [config.hiddenSize, directionCount(config)];
  const width = headInputSize(H, D);
  const maxGroups = 65535;
  if (head.over === 'last') {
    const dims = builder.uniform(kGatherDims, { batch: B, units: H, width, _pad: 0 });
    builder.dispatch(kernels.gather_last, 'gather last', { dims, lengths: buffers.lengths, output: buffers.outputs[config.numLayers - 1], features: buffers.features }, [Math.ceil(width / 64), B, 1]);
  }
  const rows = head.over === 'last' ? B : T * B;
  const inSizes = denseInputSizes(head, width);
  head.layers.forEach((dense, k) => {
    const dims = builder.uniform(kDenseForwardDims, {
      rows, inner: inSizes[k], outs: dense.outFeatures,
      w_offset: layout.regions.get(`head.${k}.weight`)!.offset, b_offset: layout.regions.get(`head.${k}.bias`)!.offset,
      activation: kActivationCodes[dense.activation],
    });
    const x = k === 0 ? headInput(config, buffers) : buffers.dense[k - 1].a;
    builder.dispatch(kernels.dense_forward, `dense ${k}`, { dims, params: ctx.params, x, z: buffers.dense[k].z, a: buffers.dense[k].a }, rowWorkgroups(rows, maxGroups));
  });
}

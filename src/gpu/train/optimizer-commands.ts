import type { OptimizerSettings, TrainingSetup } from '../../core/training.js';
import { packUniform } from '../kernels/kernel.js';
import { f32Bits, kGradNormDims, kOptimizerDims, kOptimizerThreads } from '../kernels/train.js';
import type { CommandBuilder, UniformRef } from './command-builder.js';
import type { TrainContext } from './forward-commands.js';

/** The optimizer's buffers: its state (m and v, or the momentum buffer), the mask of trained floats, the norm. */
export interface OptimizerBuffers {
  readonly first: GPUBuffer;
  readonly second: GPUBuffer;
  readonly mask: GPUBuffer;
  /** [‖g‖, non-finite count] over every gradient (grad_norm.wgsl), for clipping and skipping. */
  readonly norm: GPUBuffer;
}

const kKinds = { adam: 0, adamw: 1, sgd: 2 } as const;

/**
 * The global norm and the non-finite count (one deterministic, overflow-safe reduction, every
 * step: a step with a non-finite gradient skips its update), then clipping and the update of every
 * parameter in one dispatch. Returns the update's uniform, which each step rewrites.
 */
export function addOptimizer(ctx: TrainContext, builder: CommandBuilder, buffers: OptimizerBuffers, setup: TrainingSetup, maxWorkgroups: number): UniformRef {
  const count = ctx.layout.total;
  const normDims = builder.uniform(kGradNormDims, { count, _pad0: 0, _pad1: 0, _pad2: 0 });
  builder.dispatch(ctx.kernels.grad_norm, 'gradient norm', { dims: normDims, values: ctx.grads, result: buffers.norm }, [1, 1, 1]);
  const dims = builder.uniform(kOptimizerDims, optimizerValues(setup, count, 1));
  const groups = Math.ceil(count / kOptimizerThreads);
  const y = Math.ceil(groups / maxWorkgroups);
  builder.dispatch(ctx.kernels.optimizer_update, 'optimizer update', {
    dims, mask: buffers.mask, grads: ctx.grads, norm: buffers.norm, params: ctx.params, first: buffers.first, second: buffers.second,
  }, [Math.ceil(groups / y), y, 1]);
  return dims;
}

/** The update's uniform for step t (from 1): Adam's bias corrections computed here in float64. */
export function optimizerValues(setup: TrainingSetup, count: number, t: number): Record<(typeof kOptimizerDims.fields)[number], number> {
  const o: OptimizerSettings = setup.optimizer;
  return {
    count,
    kind: kKinds[o.kind],
    lr: f32Bits(o.lr),
    beta1: f32Bits(o.beta1),
    beta2: f32Bits(o.beta2),
    eps: f32Bits(o.eps),
    weight_decay: f32Bits(o.weightDecay),
    step_size: f32Bits(o.lr / (1 - o.beta1 ** t)),
    correction2_sqrt: f32Bits(Math.sqrt(1 - o.beta2 ** t)),
    momentum: f32Bits(o.momentum),
    first_step: t === 1 ? 1 : 0,
    clip: setup.clipNorm !== null ? 1 : 0,
    max_norm: f32Bits(setup.clipNorm ?? 0),
    _pad0: 0,
    _pad1: 0,
    _pad2: 0,
  };
}

export function optimizerUniform(setup: TrainingSetup, count: number, t: number): Uint32Array<ArrayBuffer> {
  return packUniform(kOptimizerDims, optimizerValues(setup, count, t));
}

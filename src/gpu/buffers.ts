import { directionCount, layerInputSize, type LstmConfig } from '../model/config.js';
import { kGates, paramName } from '../model/params.js';
import { BufferUsage } from './flags.js';
import { kCellDims } from './kernels/cell-bindings.js';
import { kProjectionDims } from './kernels/input-projection.js';
import { uniformBytes } from './kernels/kernel.js';
import { headBufferSpecs, mapHeadBuffers, type HeadBuffers } from './head.js';
import { readbackLayout, type ReadbackLayout } from './layout.js';
import { bufferSpec, type BufferSpec } from './memory.js';
import { packedFloats } from './pack.js';
import { perStepPath, type RecurrencePath } from './plan.js';

const kFloat = 4;
const { STORAGE, UNIFORM, COPY_SRC, COPY_DST, MAP_READ } = BufferUsage;

/**
 * The buffers of one forward call's working set, by role. B is BufferSpec for the sizes a shape
 * needs (shapeBuffers), GPUBuffer once ShapeResources has created them from those specs.
 */
export interface ShapeBuffers<B> {
  /** [T, B, I] input. */
  readonly x: B;
  readonly lengths: B;
  /** Layer outputs [T, B, D·H]: layer l writes [l % 2] and reads the other; one buffer when L = 1. */
  readonly sequences: readonly B[];
  /** z [T, B, H] × vec4: the input projection, reused by every layer-direction in turn. */
  readonly projection: B;
  /** The trace [L·D, 6, T, B, H], or a minimal buffer bound in its place when not tracing. */
  readonly trace: B;
  /** One uniform slot per step, selected by dynamic offset; only on the per-step path. */
  readonly stepIndices: B | null;
  /** Per layer: the input projection's Dims. */
  readonly projectionDims: readonly B[];
  /** Per layer-direction: the ping-pong (h, c) state pair ([0] holds h0, c0) and the recurrence's Dims. */
  readonly layerDirections: readonly { readonly states: readonly [B, B]; readonly dims: B }[];
  /** Where every result is copied for the one readback, as `readback` lays it out. */
  readonly staging: B;
  /** The dense head's buffers (src/gpu/head.ts); null for a model without a head. */
  readonly head: HeadBuffers<B> | null;
}

/** The same buffers with each one replaced by f(it), in the order buffers are created. */
export function mapShapeBuffers<A, B>(buffers: ShapeBuffers<A>, f: (buffer: A) => B): ShapeBuffers<B> {
  return {
    x: f(buffers.x),
    lengths: f(buffers.lengths),
    sequences: buffers.sequences.map(f),
    projection: f(buffers.projection),
    trace: f(buffers.trace),
    stepIndices: buffers.stepIndices === null ? null : f(buffers.stepIndices),
    projectionDims: buffers.projectionDims.map(f),
    layerDirections: buffers.layerDirections.map((ld) => ({ states: [f(ld.states[0]), f(ld.states[1])] as const, dims: f(ld.dims) })),
    staging: f(buffers.staging),
    head: mapHeadBuffers(buffers.head, f),
  };
}

/** Every buffer, in creation order. */
export function listShapeBuffers<A>(buffers: ShapeBuffers<A>): A[] {
  const list: A[] = [];
  mapShapeBuffers(buffers, (buffer) => list.push(buffer));
  return list;
}

/** A shape's buffers and the staging layout they were sized from. */
export interface ShapeBufferPlan {
  readonly buffers: ShapeBuffers<BufferSpec>;
  readonly readback: ReadbackLayout;
}

/**
 * The one statement of what a forward call of (T, B, trace) on `path` allocates: every buffer's
 * name, size and usage. ShapeResources creates exactly these; the split planner checks the
 * device's limits against them. `stepStride` is the device's minUniformBufferOffsetAlignment.
 */
export function shapeBuffers(
  config: LstmConfig,
  steps: number,
  batch: number,
  trace: boolean,
  path: RecurrencePath,
  stepStride: number,
): ShapeBufferPlan {
  const H = config.hiddenSize;
  const D = directionCount(config);
  const readback = readbackLayout(config, steps, batch, trace);
  const sequenceBytes = readback.output.length * kFloat;
  return {
    readback,
    buffers: {
      x: bufferSpec('input x', steps * batch * config.inputSize * kFloat, STORAGE | COPY_DST),
      lengths: bufferSpec('lengths', batch * kFloat, STORAGE | COPY_DST),
      sequences: Array.from({ length: Math.min(config.numLayers, 2) }, (_, i) => bufferSpec(`output sequence ${i}`, sequenceBytes, STORAGE | COPY_SRC)),
      projection: bufferSpec('input projection z', steps * batch * H * kGates.length * kFloat, STORAGE),
      trace: trace ? bufferSpec('trace', readback.traceLayout.total * kFloat, STORAGE | COPY_SRC) : bufferSpec('trace (unused)', kFloat, STORAGE),
      stepIndices: perStepPath(path) ? bufferSpec('step indices', steps * stepStride, UNIFORM | COPY_DST) : null,
      projectionDims: Array.from({ length: config.numLayers }, (_, layer) =>
        bufferSpec(`projection dims l${layer}`, uniformBytes(kProjectionDims), UNIFORM | COPY_DST),
      ),
      layerDirections: readback.states.map((state, ld) => {
        const name = `l${Math.floor(ld / D)}d${ld % D}`;
        const stateSpec = (p: number) => bufferSpec(`(h, c) state ${name} #${p}`, state.length * kFloat, STORAGE | COPY_DST | COPY_SRC);
        return { states: [stateSpec(0), stateSpec(1)] as const, dims: bufferSpec(`recurrence dims ${name}`, uniformBytes(kCellDims), UNIFORM | COPY_DST) };
      }),
      staging: bufferSpec('staging (readback)', readback.length * kFloat, MAP_READ | COPY_DST),
      head: headBufferSpecs(config, steps, batch),
    },
  };
}

/** One layer-direction's weight buffers, named as PyTorch names the parameters they hold. */
export interface WeightBufferSpecs {
  readonly layer: number;
  readonly direction: number;
  readonly inputWeights: BufferSpec;
  readonly recurrentWeights: BufferSpec;
  readonly bias: BufferSpec;
  /** weight_peephole_l{k}, only with peepholes. */
  readonly peephole?: BufferSpec;
}

/** The weight buffers a load creates, per layer-direction, sized as src/gpu/pack.ts packs them. */
export function weightBuffers(config: LstmConfig): WeightBufferSpecs[] {
  const D = directionCount(config);
  return Array.from({ length: config.numLayers * D }, (_, ld) => {
    const [layer, direction] = [Math.floor(ld / D), ld % D];
    const floats = packedFloats(layerInputSize(config, layer), config.hiddenSize);
    const spec = (name: string, count: number) => bufferSpec(name, count * kFloat, STORAGE | COPY_DST);
    return {
      layer,
      direction,
      inputWeights: spec(paramName('weight_ih', layer, direction), floats.inputWeights),
      recurrentWeights: spec(paramName('weight_hh', layer, direction), floats.recurrentWeights),
      bias: spec(`${paramName('bias_ih', layer, direction)} + ${paramName('bias_hh', layer, direction)}`, floats.bias),
      ...(config.peepholes ? { peephole: spec(paramName('weight_peephole', layer, direction), floats.peephole) } : {}),
    };
  });
}

/** Every weight buffer, in creation order. */
export function listWeightBuffers(config: LstmConfig): BufferSpec[] {
  return weightBuffers(config).flatMap((w) => [w.inputWeights, w.recurrentWeights, w.bias, ...(w.peephole ? [w.peephole] : [])]);
}

import { formatBytes } from './format.js';
import { limitExceeded } from '../../core/errors.js';
import { directionCount, layerInputSize, type LstmConfig } from '../../model/config.js';
import { headInputSize, headOutputSize } from '../../model/head.js';
import { kTraceFields } from '../../core/results.js';
import { BufferUsage } from '../flags.js';
import type { ForwardLimits } from '../limits.js';
import { bufferSpec, type BufferSpec } from '../memory.js';
import { weightGradQuads } from '../kernels/train.js';

const kFloat = 4;
const { STORAGE, UNIFORM, COPY_SRC, COPY_DST, MAP_READ } = BufferUsage;

/**
 * Every buffer one training shape (T steps, B sequences) allocates, by role: the one statement of
 * what a training call needs, which the limit check reads and TrainShape creates. N is the head's
 * row count (B over 'last', T·B over 'sequence').
 */
export interface TrainShapeBuffers<B> {
  readonly x: B;
  readonly lengths: B;
  readonly target: B;
  /** [L·D, B, H] plain, for the backward (the forward's ping-pong states overwrite theirs). */
  readonly h0: B;
  readonly c0: B;
  /** Per layer-direction, the forward's (h, c) pair. */
  readonly states: readonly (readonly [B, B])[];
  readonly projection: B;
  /** Per layer, its output [T, B, D·H] (the next layer's input and the recurrent GEMM's h_{t−1}). */
  readonly outputs: readonly B[];
  readonly trace: B;
  /** (T + 1) step-index slots: the forward's per-step path and the backward's dispatches. */
  readonly stepIndices: B;
  /** Over 'last': [B, D·H], the head's input. */
  readonly features: B;
  /** Per dense layer: z, a, ∂L/∂a and ∂L/∂z, each [N, out]. */
  readonly dense: readonly { readonly z: B; readonly a: B; readonly da: B; readonly dz: B }[];
  /** ∂L/∂(head input) [N, D·H]. */
  readonly dFeatures: B;
  readonly rowLoss: B;
  /** [loss] after the reduction. */
  readonly loss: B;
  /** Per direction: the gate gradients dz [T, B, H] × vec4 of the layer being walked. */
  readonly dz: readonly B[];
  /** The weight-gradient GEMM's left operand [T·B, Q] × vec4 (x with a ones column, or h_{t−1}), reused by every GEMM. */
  readonly gemmSource: B;
  /** W_hh transposed [H, H] × vec4, for the persistent backward (reused by every layer-direction). */
  readonly recurrentTransposed: B;
  /** Per layer below the top: ∂L/∂(its output) [T, B, D·H], written by the layer above. */
  readonly dOutputs: readonly B[];
  readonly dx: B;
  readonly dh0: B;
  readonly dc0: B;
  /** Bound where a kernel's optional input is absent. */
  readonly zero: B;
}

export function trainShapeBuffers(config: LstmConfig, steps: number, batch: number, stepStride: number): TrainShapeBuffers<BufferSpec> {
  const [T, B, H, L, D] = [steps, batch, config.hiddenSize, config.numLayers, directionCount(config)];
  const head = config.head!;
  const N = head.over === 'last' ? B : T * B;
  const width = headInputSize(H, D);
  const f = (name: string, floats: number, usage: number = STORAGE) => bufferSpec(name, floats * kFloat, usage);
  const io = STORAGE | COPY_DST;
  const out = STORAGE | COPY_SRC;
  const outSizes = head.layers.map((l) => l.outFeatures);
  const states = L * D * B * H;
  return {
    x: f('input x', T * B * config.inputSize, io),
    lengths: f('lengths', B, io),
    target: f('target y', N * headOutputSize(head, width), io),
    h0: f('h0', states, io),
    c0: f('c0', states, io),
    states: Array.from({ length: L * D }, (_, ld) => [f(`(h, c) state ${ld} #0`, 2 * B * H, io), f(`(h, c) state ${ld} #1`, 2 * B * H)] as const),
    projection: f('input projection z', T * B * H * 4),
    outputs: Array.from({ length: L }, (_, l) => f(`layer ${l} output`, T * B * D * H, out)),
    trace: f('trace (gates and c of every step)', L * D * kTraceFields.length * T * B * H),
    stepIndices: bufferSpec('step indices', (T + 1) * stepStride, UNIFORM | COPY_DST),
    features: f('head input over last', head.over === 'last' ? B * width : 1),
    dense: outSizes.map((o, k) => ({ z: f(`dense ${k} z`, N * o, out), a: f(`dense ${k} a`, N * o, out), da: f(`dense ${k} da`, N * o), dz: f(`dense ${k} dz`, N * o) })),
    dFeatures: f('head input gradient', N * width),
    rowLoss: f('row losses', N),
    loss: f('loss', 4, out),
    dz: Array.from({ length: D }, (_, d) => f(`gate gradients dz ${d}`, T * B * H * 4)),
    gemmSource: f('weight-gradient GEMM rows', T * B * 4 * gemmQuads(config)),
    recurrentTransposed: f('W_hh transposed', H * H * 4),
    dOutputs: Array.from({ length: L - 1 }, (_, l) => f(`layer ${l} output gradient`, T * B * D * H)),
    dx: f('dx', T * B * layerInputSize(config, 0), out),
    dh0: f('dh0', states, out),
    dc0: f('dc0', states, out),
    zero: f('zeros', 4),
  };
}

/** The widest row of the weight-gradient GEMM's left operand over every layer, in vec4s. */
function gemmQuads(config: LstmConfig): number {
  const inputs = Array.from({ length: config.numLayers }, (_, layer) => weightGradQuads(layerInputSize(config, layer), true));
  return Math.max(weightGradQuads(config.hiddenSize, false), ...inputs);
}

/** The same buffers with each one replaced by f(it). */
export function mapTrainShapeBuffers<A, B>(buffers: TrainShapeBuffers<A>, f: (buffer: A) => B): TrainShapeBuffers<B> {
  const { states, outputs, dense, dz, dOutputs, ...singles } = buffers;
  const mapped = Object.fromEntries(Object.entries(singles).map(([key, value]) => [key, f(value as A)])) as Record<keyof typeof singles, B>;
  return {
    ...mapped,
    states: states.map(([a, b]) => [f(a), f(b)] as const),
    outputs: outputs.map(f),
    dense: dense.map((d) => ({ z: f(d.z), a: f(d.a), da: f(d.da), dz: f(d.dz) })),
    dz: dz.map(f),
    dOutputs: dOutputs.map(f),
  };
}

/** Every buffer of a shape. */
export function listTrainShapeBuffers<A>(buffers: TrainShapeBuffers<A>): A[] {
  const list: A[] = [];
  mapTrainShapeBuffers(buffers, (buffer) => list.push(buffer));
  return list;
}

/**
 * Throws LIMIT_EXCEEDED when a buffer of the shape (or of the trainer: parameters, a staging
 * copy) is over the device's maxBufferSize or, bound as storage, maxStorageBufferBindingSize —
 * naming the limit, the buffer and the size asked for. Training does not split a call (the
 * gradient of a split batch would need every part's trace at once); use smaller minibatches.
 */
export function checkTrainingLimits(specs: readonly BufferSpec[], limits: ForwardLimits, what: string): void {
  for (const spec of specs) {
    const storage = (spec.usage & STORAGE) !== 0;
    const [limit, name] = storage && limits.maxStorageBufferBindingSize < limits.maxBufferSize
      ? [limits.maxStorageBufferBindingSize, 'maxStorageBufferBindingSize']
      : [limits.maxBufferSize, 'maxBufferSize'];
    if (spec.bytes > limit) {
      throw limitExceeded(`${what}: the ${spec.name} buffer needs ${formatBytes(spec.bytes)}, over the device's ${name} of ${formatBytes(limit)}; train on fewer sequences per batch (batchSize) or shorter sequences`);
    }
  }
}

export const kStagingUsage = MAP_READ | COPY_DST;

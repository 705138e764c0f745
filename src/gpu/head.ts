import { directionCount, type LstmConfig } from '../model/config.js';
import { denseInputSizes, headInputSize, headOutputSize, headParamName, type HeadConfig } from '../model/head.js';
import type { LSTM } from '../model/lstm.js';
import { BufferUsage } from './flags.js';
import { denseForwardKernel, gatherLastKernel, kActivationCodes, kDenseForwardDims, kGatherDims, rowWorkgroups } from './kernels/dense.js';
import { packUniform, uniformBytes } from './kernels/kernel.js';
import { bufferSpec, type BufferSet, type BufferSpec } from './memory.js';
import { getKernel, type CompiledKernel } from './pipeline-cache.js';

/**
 * The dense head in a forward call (src/model/head.ts defines it): gather_last (over 'last') then
 * one dense_forward per dense layer, the same kernels training runs (src/gpu/kernels/dense.ts),
 * reading every head parameter from one flat buffer uploaded at load.
 */

const kFloat = 4;
const { STORAGE, UNIFORM, COPY_SRC, COPY_DST } = BufferUsage;
/** Workgroups per dimension every device allows (WebGPU's minimum maxComputeWorkgroupsPerDimension). */
const kMaxGroups = 65535;

/** Where dense layer K's W [out, in] and b [out] start in the flat head buffer, in floats. */
export interface DenseOffsets {
  readonly weight: number;
  readonly bias: number;
}

/** The head's parameters on the device and where each layer's lie. */
export interface HeadParams {
  readonly buffer: GPUBuffer;
  readonly offsets: readonly DenseOffsets[];
}

/** The compiled head kernels. */
export interface HeadKernels {
  readonly gather: CompiledKernel;
  readonly dense: CompiledKernel;
}

export function headOf(config: LstmConfig): HeadConfig | null {
  return config.head ?? null;
}

/** Uploads head.K.weight then head.K.bias for every K into one buffer of `set`; null without a head. */
export function uploadHead(device: GPUDevice, set: BufferSet, model: LSTM): HeadParams | null {
  const head = headOf(model.config);
  if (!head) return null;
  const offsets: DenseOffsets[] = [];
  const parts: Float64Array[] = [];
  let end = 0;
  head.layers.forEach((_, k) => {
    const weight = model.param(headParamName('weight', k));
    const bias = model.param(headParamName('bias', k));
    offsets.push({ weight: end, bias: end + weight.length });
    parts.push(weight, bias);
    end += weight.length + bias.length;
  });
  const flat = new Float32Array(Math.max(end, 4));
  let at = 0;
  for (const part of parts) {
    flat.set(part, at);
    at += part.length;
  }
  return { buffer: set.upload(bufferSpec('head parameters', flat.byteLength, STORAGE | COPY_DST), flat), offsets };
}

export function compileHeadKernels(device: GPUDevice): Promise<HeadKernels> {
  return Promise.all([getKernel(device, gatherLastKernel), getKernel(device, denseForwardKernel)]).then(([gather, dense]) => ({ gather, dense }));
}

/** A shape's head buffers: the gathered features (over 'last') and each dense layer's uniforms, z and a. */
export interface HeadBuffers<B> {
  /** [B, D·H] over 'last'; null over 'sequence' (the top layer's output is the input). */
  readonly features: B | null;
  readonly gatherDims: B | null;
  readonly layers: readonly { readonly dims: B; readonly z: B; readonly a: B }[];
}

/** Rows the head runs over (B, or T·B over 'sequence') and O, its output width. */
export function headRows(config: LstmConfig, steps: number, batch: number): { rows: number; width: number } {
  const head = headOf(config)!;
  return { rows: head.over === 'sequence' ? steps * batch : batch, width: headOutputSize(head, headInputSize(config.hiddenSize, directionCount(config))) };
}

/** The buffers a call of (T, B) needs for the head; null without one. */
export function headBufferSpecs(config: LstmConfig, steps: number, batch: number): HeadBuffers<BufferSpec> | null {
  const head = headOf(config);
  if (!head) return null;
  const { rows } = headRows(config, steps, batch);
  const width = headInputSize(config.hiddenSize, directionCount(config));
  const last = head.over === 'last';
  return {
    features: last ? bufferSpec('head features', batch * width * kFloat, STORAGE | COPY_SRC) : null,
    gatherDims: last ? bufferSpec('gather dims', uniformBytes(kGatherDims), UNIFORM | COPY_DST) : null,
    layers: head.layers.map((dense, k) => ({
      dims: bufferSpec(`dense ${k} dims`, uniformBytes(kDenseForwardDims), UNIFORM | COPY_DST),
      z: bufferSpec(`dense ${k} z`, rows * dense.outFeatures * kFloat, STORAGE),
      a: bufferSpec(`dense ${k} a`, rows * dense.outFeatures * kFloat, STORAGE | COPY_SRC),
    })),
  };
}

export function mapHeadBuffers<A, B>(buffers: HeadBuffers<A> | null, f: (buffer: A) => B): HeadBuffers<B> | null {
  if (!buffers) return null;
  return {
    features: buffers.features === null ? null : f(buffers.features),
    gatherDims: buffers.gatherDims === null ? null : f(buffers.gatherDims),
    layers: buffers.layers.map((layer) => ({ dims: f(layer.dims), z: f(layer.z), a: f(layer.a) })),
  };
}

/** One head dispatch, in the order a call runs them: gather_last (over 'last'), then dense layer K. */
export type HeadRecord =
  | { readonly kernel: 'gather_last'; readonly workgroups: readonly [number, number, number] }
  | { readonly kernel: 'dense_forward'; readonly dense: number; readonly workgroups: readonly [number, number, number] };

export function planHead(config: LstmConfig, steps: number, batch: number): HeadRecord[] {
  const head = headOf(config);
  if (!head) return [];
  const width = headInputSize(config.hiddenSize, directionCount(config));
  const { rows } = headRows(config, steps, batch);
  const gather: HeadRecord[] = head.over === 'last' ? [{ kernel: 'gather_last', workgroups: [Math.ceil(width / 64), batch, 1] }] : [];
  return [...gather, ...head.layers.map((_, dense): HeadRecord => ({ kernel: 'dense_forward', dense, workgroups: rowWorkgroups(rows, kMaxGroups) }))];
}

/** The head's input: the top layer's output over 'sequence', the gathered features over 'last'. */
function headInput<B>(buffers: HeadBuffers<B>, topOutput: B): B {
  return buffers.features ?? topOutput;
}

/** The buffer holding the prediction once a call ran: the last dense layer's a, or the head's input without layers. */
export function predictionBuffer<B>(buffers: HeadBuffers<B>, topOutput: B): B {
  return buffers.layers.length ? buffers.layers[buffers.layers.length - 1].a : headInput(buffers, topOutput);
}

/**
 * Writes the head's uniforms and makes the bind group of each record, in planHead's order.
 * `lengths` and `topOutput` are the call's lengths [B] and top layer output [T, B, D·H].
 */
export function headBindGroups(
  device: GPUDevice,
  config: LstmConfig,
  params: HeadParams,
  kernels: HeadKernels,
  buffers: HeadBuffers<GPUBuffer>,
  io: { readonly lengths: GPUBuffer; readonly topOutput: GPUBuffer; readonly steps: number; readonly batch: number },
  bindGroup: (kernel: CompiledKernel, label: string, resources: Record<string, GPUBuffer>) => GPUBindGroup,
): GPUBindGroup[] {
  const head = headOf(config)!;
  const width = headInputSize(config.hiddenSize, directionCount(config));
  const { rows } = headRows(config, io.steps, io.batch);
  const groups: GPUBindGroup[] = [];
  if (buffers.features && buffers.gatherDims) {
    device.queue.writeBuffer(buffers.gatherDims, 0, packUniform(kGatherDims, { batch: io.batch, units: config.hiddenSize, width, _pad: 0 }));
    groups.push(bindGroup(kernels.gather, 'gather last', { dims: buffers.gatherDims, lengths: io.lengths, output: io.topOutput, features: buffers.features }));
  }
  const inSizes = denseInputSizes(head, width);
  head.layers.forEach((dense, k) => {
    const layer = buffers.layers[k];
    device.queue.writeBuffer(layer.dims, 0, packUniform(kDenseForwardDims, {
      rows, inner: inSizes[k], outs: dense.outFeatures,
      w_offset: params.offsets[k].weight, b_offset: params.offsets[k].bias,
      activation: kActivationCodes[dense.activation],
    }));
    const x = k === 0 ? headInput(buffers, io.topOutput) : buffers.layers[k - 1].a;
    groups.push(bindGroup(kernels.dense, `dense ${k}`, { dims: layer.dims, params: params.buffer, x, z: layer.z, a: layer.a }));
  });
  return groups;
}

import { describeValue } from '../../core/describe.js';
import { invalidArgument } from '../../core/errors.js';
import type { GpuForwardResult } from '../../core/gpu-buffer.js';
import { directionCount, type LstmConfig } from '../../model/config.js';
import { BufferUsage } from '../flags.js';
import { elementWorkgroups, kSplitStateDims, kSwapAxesDims, splitStateKernel, swapAxesKernel } from '../kernels/io.js';
import { packUniform } from '../kernels/kernel.js';
import { bufferSpec, type BufferSet } from '../memory.js';
import { getKernel, type CompiledKernel } from '../pipeline-cache.js';
import { bindGroup, type ShapeResources } from '../shape-resources.js';

const kFloat = 4;
const { STORAGE, UNIFORM, COPY_SRC, COPY_DST } = BufferUsage;

export interface IoKernels {
  readonly swapAxes: CompiledKernel;
  readonly splitState: CompiledKernel;
}

export function ioKernels(device: GPUDevice): Promise<IoKernels> {
  return Promise.all([getKernel(device, swapAxesKernel), getKernel(device, splitStateKernel)]).then(([swapAxes, splitState]) => ({ swapAxes, splitState }));
}

/**
 * Checks what can be checked of x as a GPUBuffer before any GPU work: float32 in the model's layout
 * ([T, B, I], or [B, T, I] with batchFirst) from byte 0, so at least T·B·I·4 bytes; COPY_SRC usage
 * for a time-major model (it is copied), STORAGE for a batch-first one (a kernel reads it); not
 * mapped. A buffer of another device, or a destroyed one, is found when the GPU rejects the call.
 */
export function checkInputBuffer(config: LstmConfig, x: GPUBuffer, steps: number, batch: number): void {
  const bytes = steps * batch * config.inputSize * kFloat;
  const shape = config.batchFirst ? `[${batch}, ${steps}, ${config.inputSize}]` : `[${steps}, ${batch}, ${config.inputSize}]`;
  if (x.size < bytes) throw invalidArgument(`x: expected a GPUBuffer of at least ${bytes} bytes (float32 ${shape}), got one of ${x.size} bytes`);
  const [usage, name] = config.batchFirst ? [STORAGE, 'STORAGE'] : [COPY_SRC, 'COPY_SRC'];
  if ((x.usage & usage) === 0) {
    throw invalidArgument(`x: expected a GPUBuffer with ${name} usage (${config.batchFirst ? 'a kernel reads a batch-first x' : 'it is copied into the call'}), got usage ${describeValue(x.usage)}`);
  }
  if (x.mapState !== 'unmapped') throw invalidArgument(`x: expected an unmapped GPUBuffer, got one whose mapState is ${describeValue(x.mapState)}`);
}

/** Encodes x (the caller's buffer) into the working set's time-major x; temporaries go to `temp`. */
export function encodeInput(device: GPUDevice, encoder: GPUCommandEncoder, temp: BufferSet, kernels: IoKernels, config: LstmConfig, shape: ShapeResources, x: GPUBuffer): void {
  const [T, B, I] = [shape.steps, shape.batch, config.inputSize];
  if (!config.batchFirst) {
    encoder.copyBufferToBuffer(x, 0, shape.buffers.x, 0, T * B * I * kFloat);
    return;
  }
  swap(device, encoder, temp, kernels.swapAxes, x, shape.buffers.x, B, T, I);
}

/**
 * Encodes copies of the call's output and final states into new buffers the caller owns: the
 * output as the model lays it out (swapped back to batch-first when it is), h_n and c_n split out
 * of the kernels' interleaved (h, c) pairs.
 */
export function encodeOutputs(device: GPUDevice, encoder: GPUCommandEncoder, temp: BufferSet, kernels: IoKernels, config: LstmConfig, shape: ShapeResources): GpuForwardResult['output'][] {
  const [T, B, H, D] = [shape.steps, shape.batch, config.hiddenSize, directionCount(config)];
  const LD = config.numLayers * D;
  const owned = (label: string, floats: number) => device.createBuffer({ label: `webgpu-lstm result: ${label}`, size: bufferSpec(label, floats * kFloat, 0).bytes, usage: STORAGE | COPY_SRC | COPY_DST });
  const output = owned('output', T * B * D * H);
  const last = shape.buffers.sequences[(config.numLayers - 1) % 2];
  if (config.batchFirst) swap(device, encoder, temp, kernels.swapAxes, last, output, T, B, D * H);
  else encoder.copyBufferToBuffer(last, 0, output, 0, T * B * D * H * kFloat);
  const [hN, cN] = [owned('h_n', LD * B * H), owned('c_n', LD * B * H)];
  const pass = encoder.beginComputePass({ label: 'split (h, c)' });
  pass.setPipeline(kernels.splitState.pipeline);
  for (let ld = 0; ld < LD; ld++) {
    const dims = uniform(temp, packUniform(kSplitStateDims, { count: B * H, offset: ld * B * H, _pad0: 0, _pad1: 0 }));
    pass.setBindGroup(0, bindGroup(device, kernels.splitState, `split (h, c) ${ld}`, { dims, state: shape.finalState(ld), h_n: hN, c_n: cN }));
    pass.dispatchWorkgroups(...elementWorkgroups(B * H, device.limits.maxComputeWorkgroupsPerDimension));
  }
  pass.end();
  const stateShape = [LD, B, H];
  return [
    { shape: config.batchFirst ? [B, T, D * H] : [T, B, D * H], buffer: output },
    { shape: stateShape, buffer: hN },
    { shape: stateShape, buffer: cN },
  ];
}

/** [A, C, W] in `from` → [C, A, W] in `to`, as one dispatch in a pass of its own. */
function swap(device: GPUDevice, encoder: GPUCommandEncoder, temp: BufferSet, kernel: CompiledKernel, from: GPUBuffer, to: GPUBuffer, a: number, c: number, width: number): void {
  const dims = uniform(temp, packUniform(kSwapAxesDims, { a, c, width, _pad: 0 }));
  const pass = encoder.beginComputePass({ label: 'swap leading axes' });
  pass.setPipeline(kernel.pipeline);
  pass.setBindGroup(0, bindGroup(device, kernel, 'swap leading axes', { dims, from_data: from, to_data: to }));
  pass.dispatchWorkgroups(...elementWorkgroups(a * c * width, device.limits.maxComputeWorkgroupsPerDimension));
  pass.end();
}

function uniform(temp: BufferSet, data: Uint32Array<ArrayBuffer>): GPUBuffer {
  return temp.upload(bufferSpec('io dims', data.byteLength, UNIFORM | COPY_DST), data);
}

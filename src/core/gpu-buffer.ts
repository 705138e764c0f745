import type { ForwardStats } from './results.js';

/**
 * Whether `value` is a WebGPU GPUBuffer, by its members: the library uses no DOM globals (no
 * `instanceof GPUBuffer`), and Dawn's buffers in Node are not the page's class anyway.
 */
export function isGpuBuffer(value: unknown): value is GPUBuffer {
  if (value === null || typeof value !== 'object' || 'length' in value) return false;
  const buffer = value as Partial<GPUBuffer>;
  return typeof buffer.size === 'number' && typeof buffer.usage === 'number' && typeof buffer.mapAsync === 'function' && typeof buffer.destroy === 'function';
}

/** A float32 tensor in a GPUBuffer: `shape` row-major from the buffer's first byte. */
export interface GpuTensor {
  readonly shape: readonly number[];
  readonly buffer: GPUBuffer;
}

/**
 * A forward call's results left on the GPU (forward with `output: 'gpu'`): new buffers the caller
 * owns and destroys, with STORAGE, COPY_SRC and COPY_DST usage.
 */
export interface GpuForwardResult {
  /** [T, B, D·H] ([B, T, D·H] with batchFirst), as forward's output. */
  readonly output: GpuTensor;
  /** [L·D, B, H]. */
  readonly hN: GpuTensor;
  /** [L·D, B, H]. */
  readonly cN: GpuTensor;
  readonly stats: ForwardStats;
}

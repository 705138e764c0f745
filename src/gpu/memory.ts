/**
 * The size BufferSet gives a buffer: never 0 (an unused binding still needs a buffer), and whole
 * 16-byte vec4s, so a kernel that reads an f32 array four at a time can reach its last elements.
 */
export function alignedBufferSize(size: number): number {
  return Math.max(16, Math.ceil(size / 16) * 16);
}

/** A buffer as it is created: its name, its size in bytes (already aligned), its usage flags. */
export interface BufferSpec {
  readonly name: string;
  readonly bytes: number;
  /** GPUBufferUsage flags (src/gpu/flags.ts). */
  readonly usage: number;
}

/** The spec of a buffer that holds `size` bytes: its size rounded up by alignedBufferSize. */
export function bufferSpec(name: string, size: number, usage: number): BufferSpec {
  return { name, bytes: alignedBufferSize(size), usage };
}

/** Buffers owned together (one model's weights, one shape's working set): created, counted, freed as one. */
export class BufferSet {
  private readonly buffers: GPUBuffer[] = [];
  private byteCount = 0;

  constructor(private readonly device: GPUDevice, private readonly label: string) {}

  get bytes(): number {
    return this.byteCount;
  }

  /** Creates exactly the buffer `spec` describes. */
  create(spec: BufferSpec): GPUBuffer {
    const buffer = this.device.createBuffer({ label: `${this.label}: ${spec.name}`, size: spec.bytes, usage: spec.usage });
    this.buffers.push(buffer);
    this.byteCount += spec.bytes;
    return buffer;
  }

  /** Creates the buffer `spec` describes (which must allow COPY_DST) and writes `data` at its start. */
  upload(spec: BufferSpec, data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>): GPUBuffer {
    const buffer = this.create(spec);
    this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return buffer;
  }

  destroy(): void {
    for (const buffer of this.buffers) buffer.destroy();
    this.buffers.length = 0;
    this.byteCount = 0;
  }
}

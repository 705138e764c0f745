/**
 * The size BufferSet gives a buffer: never 0 (an unused binding still needs a buffer), and whole
 * 16-byte vec4s, so a kernel that reads an f32 array four at a time can reach its last elements.
 */
export function alignedBufferSize(size: number): number {
  return Math.max(16, Math.ceil(size / 16) * 16);
}

/** Buffers owned together (one model's weights, one shape's working set): created, counted, freed as one. */
export class BufferSet {
  private readonly buffers: GPUBuffer[] = [];
  private byteCount = 0;

  constructor(private readonly device: GPUDevice, private readonly label: string) {}

  get bytes(): number {
    return this.byteCount;
  }

  create(name: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const alignedSize = alignedBufferSize(size);
    const buffer = this.device.createBuffer({ label: `${this.label}: ${name}`, size: alignedSize, usage });
    this.buffers.push(buffer);
    this.byteCount += alignedSize;
    return buffer;
  }

  /** A storage buffer holding `data`, uploaded once. */
  upload(name: string, data: Float32Array | Uint32Array, usage = GPUBufferUsage.STORAGE): GPUBuffer {
    const buffer = this.create(name, data.byteLength, usage | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return buffer;
  }

  destroy(): void {
    for (const buffer of this.buffers) buffer.destroy();
    this.buffers.length = 0;
    this.byteCount = 0;
  }
}

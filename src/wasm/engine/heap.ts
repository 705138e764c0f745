import { LstmError } from '../../core/errors.js';

/**
 * Where the engine's arrays live in its linear memory: a first-fit list of free ranges over the
 * memory's pages, growing the memory (and so its SharedArrayBuffer or ArrayBuffer) as needed, up
 * to a byte budget. Every block is 64-byte aligned (a cache line; SIMD loads never straddle one)
 * and followed by 64 bytes of slack, because kernels read whole 16-float panels past the end of a
 * row (src/wasm/assembly/gemm.ts) and discard the extra lanes. The first 64 KiB are the module's
 * own static data (scripts/build-wasm.mjs checks it fits).
 *
 * Views of memory must be taken after the last allocation of a call: growing an unshared memory
 * detaches its old buffer.
 */
export class Heap {
  static readonly kReserved = 65536;
  static readonly kAlign = 64;
  private readonly free: { at: number; bytes: number }[] = [];
  private readonly used = new Map<number, number>();
  private end = Heap.kReserved;

  constructor(
    readonly memory: WebAssembly.Memory,
    /** The most bytes the memory may grow to (at most 4 GiB, wasm32's limit). */
    readonly maxBytes: number,
  ) {}

  /** Bytes held by live blocks. */
  get liveBytes(): number {
    let sum = 0;
    for (const bytes of this.used.values()) sum += bytes;
    return sum;
  }

  /** A block of at least `bytes` bytes (and the slack); LIMIT_EXCEEDED past the budget, naming `what`. */
  alloc(bytes: number, what: string): number {
    const size = Math.ceil((bytes + Heap.kAlign) / Heap.kAlign) * Heap.kAlign;
    const index = this.free.findIndex((range) => range.bytes >= size);
    let at: number;
    if (index >= 0) {
      const range = this.free[index];
      at = range.at;
      if (range.bytes === size) this.free.splice(index, 1);
      else this.free[index] = { at: range.at + size, bytes: range.bytes - size };
    } else {
      at = this.end;
      this.reserve(at + size, what);
      this.end = at + size;
    }
    this.used.set(at, size);
    return at;
  }

  /** Returns a block to the free list (merging neighbours); 0 and unknown addresses are ignored. */
  release(at: number): void {
    const size = this.used.get(at);
    if (size === undefined) return;
    this.used.delete(at);
    this.free.push({ at, bytes: size });
    this.free.sort((a, b) => a.at - b.at);
    for (let i = this.free.length - 1; i > 0; i--) {
      const before = this.free[i - 1];
      if (before.at + before.bytes === this.free[i].at) {
        before.bytes += this.free[i].bytes;
        this.free.splice(i, 1);
      }
    }
    const last = this.free[this.free.length - 1];
    if (last && last.at + last.bytes === this.end) {
      this.end = last.at;
      this.free.pop();
    }
  }

  private reserve(end: number, what: string): void {
    if (end > this.maxBytes) {
      throw new LstmError(
        'LIMIT_EXCEEDED',
        `wasm backend: ${what} needs the engine's memory to reach ${formatBytes(end)}, past its budget of ${formatBytes(this.maxBytes)} (maxBytes; wasm32 allows at most 4 GiB)`,
      );
    }
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / 65536);
    try {
      this.memory.grow(pages);
    } catch (error) {
      throw new LstmError('LIMIT_EXCEEDED', `wasm backend: ${what} needs ${formatBytes(end)} of memory and the JavaScript engine refused to grow it (${(error as Error).message})`);
    }
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}

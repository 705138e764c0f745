/** One buffer as it was created: its descriptor's label, size in bytes and usage flags. */
export interface TrackedBuffer {
  readonly label: string;
  readonly size: number;
  readonly usage: number;
}

/**
 * Counts the GPU buffers of a page from the outside, by wrapping GPUDevice.createBuffer and
 * GPUBuffer.destroy, so a test can see what the library allocates and frees without asking it.
 */
export interface BufferTracker {
  /** Buffers created since tracking began and not destroyed yet. */
  readonly live: number;
  /** Their bytes, as their descriptors asked. */
  readonly liveBytes: number;
  /** The largest `live` at any moment since tracking began. */
  readonly maxLive: number;
  /** Every buffer created since tracking began, in order of creation. */
  readonly created: readonly TrackedBuffer[];
  /** Puts createBuffer and destroy back; safe to call twice. */
  stop(): void;
}

/** The WebGPU classes whose prototypes a tracker wraps: the page's globals, or Dawn's (`webgpu`'s `globals`). */
export interface GpuClasses {
  readonly GPUDevice: { readonly prototype: GPUDevice };
  readonly GPUBuffer: { readonly prototype: GPUBuffer };
}

/**
 * `lstmKit.trackBuffers` (kit.ts) for the runtime whose classes are given. Also runs in the page
 * (page-kit.ts sends its source), so it refers to nothing outside itself. One tracker at a time: a
 * second would wrap the first's wrappers and restore them in the wrong order.
 */
export const bufferTracking = ({ GPUDevice, GPUBuffer }: GpuClasses): (() => BufferTracker) => {
  let running = false;
  return () => {
    if (running) throw new Error('trackBuffers: a tracker is already running; stop it first');
    running = true;
    const live = new Map<GPUBuffer, number>();
    const created: TrackedBuffer[] = [];
    let maxLive = 0;
    const createBuffer = GPUDevice.prototype.createBuffer;
    const destroy = GPUBuffer.prototype.destroy;
    GPUDevice.prototype.createBuffer = function (descriptor: GPUBufferDescriptor) {
      const buffer = createBuffer.call(this, descriptor);
      live.set(buffer, descriptor.size);
      created.push({ label: descriptor.label ?? '', size: descriptor.size, usage: descriptor.usage });
      maxLive = Math.max(maxLive, live.size);
      return buffer;
    };
    GPUBuffer.prototype.destroy = function () {
      live.delete(this);
      return destroy.call(this);
    };
    let stopped = false;
    return {
      get live() {
        return live.size;
      },
      get liveBytes() {
        return [...live.values()].reduce((sum, bytes) => sum + bytes, 0);
      },
      get maxLive() {
        return maxLive;
      },
      created,
      stop() {
        if (stopped) return;
        stopped = true;
        running = false;
        GPUDevice.prototype.createBuffer = createBuffer;
        GPUBuffer.prototype.destroy = destroy;
      },
    };
  };
};

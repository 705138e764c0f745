/**
 * The library's own waits on the GPU (mapAsync, popErrorScope, pipeline compilation, device
 * creation) go through gpuWait, so that a runtime may do something for exactly as long as one is
 * pending — and nothing else in the process is touched. Dawn in Node paces its event polling on a
 * software adapter this way (src/node/dawn/event-pacing.ts); in a browser no scope is set and
 * gpuWait is the bare promise.
 */
export interface GpuWaitScope {
  /** A library wait starts (waits may overlap: enter and exit come in pairs). */
  enter(): void;
  /** A library wait ended, resolved or rejected. */
  exit(): void;
}

let scope: GpuWaitScope | null = null;

/** Sets the scope every later library wait enters (null: none). */
export function setGpuWaitScope(next: GpuWaitScope | null): void {
  scope = next;
}

/** Runs `start` (which begins the wait, e.g. `() => buffer.mapAsync(...)`) inside the wait scope. */
export async function gpuWait<T>(start: () => Promise<T>): Promise<T> {
  const active = scope;
  active?.enter();
  try {
    return await start();
  } finally {
    active?.exit();
  }
}

/** Both error scopes a call pushed (validation, then out-of-memory, pushed in that order), popped as one library wait. */
export function popErrorScopes(device: GPUDevice): Promise<[GPUError | null, GPUError | null]> {
  return gpuWait(() => Promise.all([device.popErrorScope(), device.popErrorScope()]));
}

import { createNodeBackend, type NodeBackend, type NodeRuntime } from '../node/node-backend.js';

/** Where a line goes (commands.ts's Print; declared here, so this file imports nothing of the CLI's). */
type Print = (line: string) => void;

/**
 * The one place the CLI opens a backend and says on stderr when it fell back: every command goes
 * through it, so none can fall back silently (the README promises the notice). A fall back is
 * Dawn → Chromium under runtime 'auto' (a browser start is not free) or WebGPU → the CPU under
 * prefer 'auto'; what was asked for explicitly is not a fall back and prints nothing.
 */
export async function openCliBackend(prefer: 'webgpu' | 'auto', runtime: NodeRuntime | 'auto', warn: Print): Promise<NodeBackend> {
  // The CLI's commands run WebGPU or the float64 reference (they print adapters and dispatch
  // counters), so its 'auto' still takes a software adapter and never the wasm engine.
  let backend = await createNodeBackend({ prefer, runtime, allowSoftwareAdapter: true });
  if (backend.kind === 'wasm') {
    await backend.close();
    const reason = backend.reason.replace(/^auto: the wasm engine, because /, '').replace(/; \d+ threads? .*$/, '');
    backend = { ...(await createNodeBackend({ prefer: 'cpu' })), reason: `auto: fell back to the CPU because ${reason}` };
  }
  if (backend.kind === 'cpu') noteCpuFallback(backend.reason, warn);
  else if (runtime === 'auto' && backend.runtime === 'chromium') warn(`webgpu-lstm: note: ${backend.reason}`);
  return backend;
}

/** Says that WebGPU was asked for by 'auto' and the CPU runs instead, and why. */
export function noteCpuFallback(why: string, warn: Print): void {
  warn(`webgpu-lstm: note: --backend auto runs on the CPU: ${why}`);
}

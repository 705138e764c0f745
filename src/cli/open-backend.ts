import { createNodeBackend, type NodeBackend, type NodeRuntime } from '../node/node-backend.js';

/** Where a line goes (commands.ts's Print; declared here, so this file imports nothing of the CLI's). */
type Print = (line: string) => void;

/** What --backend may ask the CLI to open: the float64 reference is opened by each command itself. */
export type CliPreference = 'webgpu' | 'wasm' | 'auto';

/**
 * The one place the CLI opens a backend and says on stderr where 'auto' did not land on WebGPU:
 * every command goes through it, so none can fall back silently (the README promises the notice).
 * The CLI's 'auto' is the library's: WebGPU on a hardware adapter, the wasm engine where there is
 * none or only a software one (SwiftShader is CPU speed behind a GPU API), the float64 reference
 * only where WebAssembly lacks SIMD. Dawn → Chromium under runtime 'auto' is noted too (a browser
 * start is not free); what was asked for explicitly prints nothing. `threads` (--threads) is the
 * wasm engine's thread count, used where the wasm engine runs.
 */
export async function openCliBackend(prefer: CliPreference, runtime: NodeRuntime | 'auto', warn: Print, threads?: number): Promise<NodeBackend> {
  const backend = await createNodeBackend({ prefer, runtime, ...(threads === undefined ? {} : { threads }) });
  if (prefer === 'auto' && backend.kind === 'wasm') warn(`webgpu-lstm: note: --backend auto runs on the wasm engine (float32, on the CPU): ${backend.reason.replace(/^auto: the wasm engine, because /, '')}`);
  else if (backend.kind === 'cpu') noteCpuFallback(backend.reason, warn);
  else if (runtime === 'auto' && backend.runtime === 'chromium') warn(`webgpu-lstm: note: ${backend.reason}`);
  return backend;
}

/** Says that WebGPU was asked for by 'auto' and the CPU reference runs instead, and why. */
export function noteCpuFallback(why: string, warn: Print): void {
  warn(`webgpu-lstm: note: --backend auto runs on the CPU: ${why}`);
}

/** "cpu, wasm, webgpu or auto": the check every command's --backend goes through. */
export const kCliBackends = ['cpu', 'wasm', 'webgpu', 'auto'] as const;

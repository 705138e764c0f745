// A web developer's first page with webgpu-lstm: Vite's TypeScript template, nothing else.
import { createBackend, inputFromJSON, modelFromJSON, type Backend } from 'webgpu-lstm';

// The published types must say what a GPUDevice is. Were backend.device `any` (what an unresolved
// GPUDevice becomes under skipLibCheck), this assignment would compile and the directive would fail.
// @ts-expect-error a string is not a GPUDevice
export const notADevice: Backend['device'] = 'not a device';

declare global {
  interface Window {
    consumerResult?:
      | { kind: string; output: number[]; maxStorageBufferBindingSize: number | undefined; wasm: { kind: string; reason: string; output: number[] } }
      | { error: string };
  }
}

async function main(): Promise<void> {
  // A case file (model and input together) that the test puts in public/.
  const seed004: unknown = await (await fetch('./seed004.json')).json();
  const model = modelFromJSON(seed004);
  const { x, options } = inputFromJSON(seed004, model.config);
  const backend = await createBackend({ prefer: 'webgpu' });
  const runner = await backend.load(model);
  const result = await runner.forward(x, options);
  runner.dispose();
  const maxStorageBufferBindingSize: number | undefined = backend.device?.limits.maxStorageBufferBindingSize;
  backend.dispose();
  // The wasm engine, as bundled by Vite: its binaries travel inside the library's JavaScript.
  const wasm = await createBackend({ prefer: 'wasm' });
  const wasmRunner = await wasm.load(model);
  const wasmResult = await wasmRunner.forward(x, options);
  wasmRunner.dispose();
  wasm.dispose();
  window.consumerResult = {
    kind: backend.kind,
    output: Array.from(result.output.data),
    maxStorageBufferBindingSize,
    wasm: { kind: wasm.kind, reason: wasm.reason, output: Array.from(wasmResult.output.data) },
  };
}

main().catch((error: unknown) => {
  window.consumerResult = { error: String(error) };
});

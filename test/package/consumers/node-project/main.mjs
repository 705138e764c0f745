// A plain Node script with webgpu-lstm installed alone (no puppeteer-core, no webgpu): the CPU
// backend and the wasm engine work, and asking for headless Chromium says which package to install.
import { readFileSync } from 'node:fs';
import { createBackend, inputFromJSON, modelFromJSON } from 'webgpu-lstm';
import { createNodeBackend } from 'webgpu-lstm/node';

const seed004 = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const model = modelFromJSON(seed004);
const { x, options } = inputFromJSON(seed004, model.config);
const backend = await createBackend({ prefer: 'cpu' });
const runner = await backend.load(model);
const result = await runner.forward(x, options);
runner.dispose();
backend.dispose();

// The wasm engine from the installed package: its helper threads start from the package's own code.
const wasm = await createBackend({ prefer: 'wasm' });
const wasmRunner = await wasm.load(model);
const wasmResult = await wasmRunner.forward(x, options);
wasmRunner.dispose();
wasm.dispose();

let chromium;
try {
  await createNodeBackend({ prefer: 'webgpu', runtime: 'chromium' });
  chromium = { code: null, message: 'opened' };
} catch (error) {
  chromium = { code: error.code, message: error.message };
}
console.log(JSON.stringify({ kind: backend.kind, output: Array.from(result.output.data), wasm: { kind: wasm.kind, reason: wasm.reason, output: Array.from(wasmResult.output.data) }, chromium }));

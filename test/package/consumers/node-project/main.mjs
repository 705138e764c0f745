// A plain Node script with webgpu-lstm installed alone (no puppeteer-core, no webgpu): the CPU
// backend works, and asking for headless Chromium says which package to install.
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

let chromium;
try {
  await createNodeBackend({ prefer: 'webgpu', runtime: 'chromium' });
  chromium = { code: null, message: 'opened' };
} catch (error) {
  chromium = { code: error.code, message: error.message };
}
console.log(JSON.stringify({ kind: backend.kind, output: Array.from(result.output.data), chromium }));

// A PyTorch 2-layer export run through OnnxSession (the graph executor: its two LSTM nodes fused
// into one stack call, the zero-state and Squeeze/Concat glue on the host) against the same model
// loaded from our JSON (one forward call), on the CPU reference, on the wasm engine (float32, one
// thread) and on WebGPU through Dawn (a software adapter where there is no GPU). Interleaved rounds;
// prints the medians and their ratio.
// The model: bench/fixtures/torch_lstm2_no_states.onnx (bench/make-onnx-stack.py), x [100, 8, 16].
//
//   npm run build && VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node bench/onnx-stack.mjs [--rounds 9] [--warmup 10] [--backends cpu,wasm,webgpu]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : process.argv[at + 1];
};
const rounds = Number(option('--rounds', 9));
// Untimed rounds first: with one, the session's host code was still being optimised and the wasm
// lane's ratio swung from 1.5 to 3 between runs; after 10 it holds (1.2 over 200 rounds).
const warmup = Number(option('--warmup', 10));
const backends = option('--backends', 'cpu,wasm,webgpu').split(',');
const dist = resolve(import.meta.dirname, '../dist');
const lib = await import(`${dist}/index.js`);
const { createNodeBackend } = await import(`${dist}/node.js`);
const bytes = readFileSync(resolve(import.meta.dirname, 'fixtures/torch_lstm2_no_states.onnx'));
const fromJson = lib.modelFromJSON(JSON.parse(readFileSync(resolve(import.meta.dirname, 'fixtures/torch_lstm2_no_states.json'), 'utf8')));
const [T, B, I] = [100, 8, fromJson.config.inputSize];
const x = Float64Array.from({ length: T * B * I }, (_, i) => Math.sin(0.37 * i + 0.1));
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** @param {string} label @param {any} backend */
async function compare(label, backend) {
  const session = await lib.OnnxSession.create(bytes, { backend });
  const unfused = await lib.OnnxSession.create(bytes, { backend, fuseStacks: false });
  const runner = await backend.load(fromJson);
  const lanes = {
    onnx: async () => (await session.run({ x: { dims: [T, B, I], data: x } })).output.data,
    unfused: async () => (await unfused.run({ x: { dims: [T, B, I], data: x } })).output.data,
    json: async () => (await runner.forward(x, { steps: T, batch: B })).output.data,
  };
  const times = { onnx: [], unfused: [], json: [] };
  let worst = 0;
  for (let r = 0; r < warmup + rounds; r++) {
    const order = r % 2 ? ['onnx', 'unfused', 'json'] : ['json', 'unfused', 'onnx'];
    const outs = {};
    for (const lane of order) {
      const start = performance.now();
      outs[lane] = await lanes[lane]();
      if (r >= warmup) times[lane].push(performance.now() - start); // the first rounds warm up the JIT
    }
    for (let k = 0; k < outs.json.length; k++) worst = Math.max(worst, Math.abs(outs.onnx[k] - outs.json[k]), Math.abs(outs.unfused[k] - outs.json[k]));
  }
  const [onnx, unfusedMs, json] = [median(times.onnx), median(times.unfused), median(times.json)];
  const stacks = new Set(session.placement.filter((p) => p.stack).map((p) => p.stack)).size;
  console.log(`${label.padEnd(34)} onnx ${onnx.toFixed(2)} ms (unfused ${unfusedMs.toFixed(2)})  json ${json.toFixed(2)} ms  ratio ${(onnx / json).toFixed(3)} (unfused ${(unfusedMs / json).toFixed(3)})  (${stacks} fused stack, max |onnx − json| ${worst.toExponential(1)}, ${rounds} rounds)`);
  session.dispose();
  unfused.dispose();
  runner.dispose();
}

// The session's own cost, free of the machine's noise: the graph with a forward that returns zeros at once.
{
  const H = fromJson.config.hiddenSize;
  const state = { shape: [2, B, H], data: new Float32Array(2 * B * H) };
  const zeros = { output: { shape: [T, B, H], data: new Float32Array(T * B * H) }, hN: state, cN: state };
  const session = await lib.OnnxSession.create(bytes, { forward: () => zeros });
  const feeds = { x: { dims: [T, B, I], data: x } };
  for (let r = 0; r < 20; r++) await session.run(feeds);
  const start = performance.now();
  for (let r = 0; r < 200; r++) await session.run(feeds);
  console.log(`host work per run (the graph around the LSTM stack, fused): ${((performance.now() - start) / 200).toFixed(3)} ms`);
}

console.log(`PyTorch nn.LSTM(16, 32, num_layers=2) export, no (h0, c0); x [T=${T}, B=${B}, I=${I}]`);
if (backends.includes('cpu')) {
  const cpu = await createNodeBackend({ prefer: 'cpu' });
  await compare('CPU reference (float64)', cpu);
  await cpu.close();
}
if (backends.includes('wasm')) {
  const wasm = await createNodeBackend({ prefer: 'wasm', threads: 1 });
  await compare('wasm engine (float32, 1 thread)', wasm);
  await wasm.close();
}
if (backends.includes('webgpu')) {
  const gpu = await createNodeBackend({ prefer: 'webgpu', runtime: 'dawn', allowSoftwareAdapter: true });
  await compare(`WebGPU, Dawn (${gpu.adapter?.description || gpu.adapter?.vendor || 'adapter'})`, gpu);
  await gpu.close();
}

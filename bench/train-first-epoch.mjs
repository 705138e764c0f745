// The first epoch of training against the later ones, on WebGPU through Dawn in Node: seed 003's
// LSTM(50) + Dense(1) over 'last' (T = 12, I = 1), 96 sequences in minibatches of 32 (3 steps an
// epoch), Adam. Prints each epoch's wall time (epoch 1 pays what is made once: kernels, the
// shape's buffers), the median of the later ones and their ratio; with --warmup, the trainer's
// warmup({ steps, batch }) runs first and its own time is printed.
//
//   npm run build && node bench/train-first-epoch.mjs [--epochs 6] [--warmup] [--dist DIR]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDist } from './lib/dist.mjs';

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : process.argv[at + 1];
}
const epochs = Number(option('epochs', '6'));
const warm = process.argv.includes('--warmup');
const otherDist = option('dist', null);
/** @type {Awaited<ReturnType<typeof loadDist>>} */
const { lib: { LSTM }, node: { createNodeBackend } } = otherDist
  ? { lib: await import(pathToFileURL(resolve(otherDist, 'index.js')).href), node: await import(pathToFileURL(resolve(otherDist, 'node.js')).href) }
  : await loadDist();

const [T, N, I, H, batchSize] = [12, 96, 1, 50, 32];
const x = Float64Array.from({ length: N * T * I }, (_, i) => Math.sin(i / 7));
const y = Float64Array.from({ length: N }, (_, i) => Math.cos(i / 5));
const backend = await createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
try {
  const model = LSTM.random({ inputSize: I, hiddenSize: H, head: { layers: [{ outFeatures: 1 }] }, batchFirst: true, seed: 3 });
  const created = performance.now();
  const trainer = await backend.train(model, { loss: 'mse', optimizer: { kind: 'adam', lr: 1e-3 } });
  console.log(`${backend.adapter?.description || backend.adapter?.architecture} (${backend.reason})`);
  console.log(`backend.train: ${(performance.now() - created).toFixed(0)} ms`);
  if (warm) {
    const started = performance.now();
    await trainer.warmup({ steps: T, batch: batchSize });
    console.log(`trainer.warmup({ steps: ${T}, batch: ${batchSize} }): ${(performance.now() - started).toFixed(0)} ms`);
  }
  const times = [];
  await trainer.fit(x, y, { steps: T, batch: N, epochs, batchSize, shuffle: false, onEpochEnd: (_, logs) => void times.push(logs.milliseconds) });
  trainer.dispose();
  const later = times.slice(1).sort((a, b) => a - b);
  const median = later[Math.floor(later.length / 2)];
  console.log(`epochs (ms): ${times.map((t) => t.toFixed(1)).join(', ')}`);
  console.log(`first epoch ${times[0].toFixed(1)} ms, later median ${median.toFixed(1)} ms: ${(times[0] / median).toFixed(1)}×`);
} finally {
  await backend.close();
}

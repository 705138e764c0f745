// One training step (forward, MSE loss, backward, Adam update) of LSTM(H) + Dense(1) over 'last',
// timed on WebGPU through Dawn in Node: median wall time of `trainer.fit` over one minibatch of B
// (one epoch, batchSize B, no shuffle — exactly one optimizer step and its loss readback).
//
//   npm run build && node bench/train-step-dawn.mjs [--steps 5] [--shapes 0,1,2] [--recurrence auto|steps|sequence] [--dist DIR]
//   (without a GPU: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node bench/train-step-dawn.mjs)
//
// Shapes (B, T, I, H) are issue 13's: seed 003's (32, 12, 1, 50), (64, 100, 32, 128) and
// (256, 50, 128, 256). Also printed: dispatches per step (one submit each) and the loss after the
// warm-up step, as a sanity check. The full comparison against TensorFlow.js is `npm run bench -- --train`.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDist } from './lib/dist.mjs';

const kShapes = [
  { batch: 32, steps: 12, inputSize: 1, hiddenSize: 50 },
  { batch: 64, steps: 100, inputSize: 32, hiddenSize: 128 },
  { batch: 256, steps: 50, inputSize: 128, hiddenSize: 256 },
];

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : process.argv[at + 1];
}
const stepCount = Number(option('steps', '5'));
const shapeIndices = option('shapes', '0,1,2').split(',').map(Number);
const recurrence = option('recurrence', null);
// --dist DIR times another build (e.g. an older commit's, for before/after on a busy machine).
const otherDist = option('dist', null);
/** @type {Awaited<ReturnType<typeof loadDist>>} */
const { lib: { LSTM }, node: { createNodeBackend } } = otherDist
  ? { lib: await import(pathToFileURL(resolve(otherDist, 'index.js')).href), node: await import(pathToFileURL(resolve(otherDist, 'node.js')).href) }
  : await loadDist();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const backend = await createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
try {
  for (const index of shapeIndices) {
    const { batch: B, steps: T, inputSize: I, hiddenSize: H } = kShapes[index];
    const model = LSTM.random({ inputSize: I, hiddenSize: H, seed: 3, head: { layers: [{ outFeatures: 1 }], over: 'last' } });
    const x = Float64Array.from({ length: T * B * I }, (_, i) => Math.sin(0.37 * i + 0.1));
    const y = Float64Array.from({ length: B }, (_, b) => Math.cos(0.7 * b));
    const trainer = await backend.train(model, { loss: 'mse', optimizer: { kind: 'adam', lr: 1e-3, eps: 1e-7 }, singleBias: true, ...(recurrence ? { recurrence } : {}) });
    const fitOptions = { steps: T, batch: B, epochs: 1, batchSize: B, shuffle: false };
    const warm = await trainer.fit(x, y, fitOptions);
    const times = [];
    for (let s = 0; s < stepCount; s++) {
      const start = performance.now();
      await trainer.fit(x, y, fitOptions);
      times.push(performance.now() - start);
    }
    // The GPU training backend counts the dispatches of its last submit (not public API).
    const dispatches = /** @type {any} */ (trainer).backend?.lastDispatches ?? 'n/a';
    console.log(`(B, T, I, H) = (${B}, ${T}, ${I}, ${H}): median ${median(times).toFixed(1)} ms over ${stepCount} steps [${times.map((t) => t.toFixed(0)).join(', ')}], ${dispatches} dispatches per step, first loss ${warm.loss[0].toPrecision(7)}`);
    trainer.dispose();
  }
} finally {
  await backend.close();
}

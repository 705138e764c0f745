// Writes examples/model.json and examples/input.json: a seeded 2-layer bidirectional LSTM and a
// batch with per-sequence lengths. Run after `npm run build`: node examples/make-example.mjs
import { writeFileSync } from 'node:fs';
import { LSTM, modelToJSON } from '../dist/index.js';

const config = { inputSize: 16, hiddenSize: 64, numLayers: 2, bidirectional: true, seed: 2026 };
const [T, B] = [50, 4];
const model = LSTM.random(config);
let state = 12345;
const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
const x = Array.from({ length: T * B * config.inputSize }, () => Math.round(next() * 1e6) / 1e6);

// Seven significant digits keep the file small; the rounded weights are the example model.
const round = (_key, value) => (typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(7)) : value);
writeFileSync(new URL('./model.json', import.meta.url), JSON.stringify(modelToJSON(model), round));
writeFileSync(new URL('./input.json', import.meta.url), JSON.stringify({ x: { shape: [T, B, config.inputSize], data: x }, lengths: [50, 37, 12, 50] }));

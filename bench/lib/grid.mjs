// The shapes the bench runs and the arithmetic it credits each one with.
import { loadDist } from './dist.mjs';

const { lib } = await loadDist();

/**
 * @typedef {{ batch: number, steps: number, inputSize: number, hiddenSize: number, layers: number, bidirectional: boolean }} Shape
 */

/** @param {number} batch @param {number} steps @param {number} inputSize @param {number} hiddenSize @param {number} [layers] @param {boolean} [bidirectional] @returns {Shape} */
function shape(batch, steps, inputSize, hiddenSize, layers = 1, bidirectional = false) {
  return { batch, steps, inputSize, hiddenSize, layers, bidirectional };
}

/** The grid of issue 3: (B, T, I, H), one layer unless stated. */
export const kFullGrid = [
  shape(1, 100, 32, 128),
  shape(16, 100, 64, 128),
  shape(64, 100, 128, 256),
  shape(256, 50, 128, 256),
  shape(1, 1000, 16, 64),
  shape(32, 100, 64, 128, 2, true),
];

/**
 * The training grid of issue 13 (one layer, a Dense(1) head): seed 003's model (32, 12, 1, 50),
 * then (64, 100, 32, 128) and (256, 50, 128, 256).
 */
export const kTrainGrid = [shape(32, 12, 1, 50), shape(64, 100, 32, 128), shape(256, 50, 128, 256)];

/** A tiny training shape for CI smoke runs. */
export const kQuickTrainGrid = [shape(4, 6, 3, 8)];

/** Tiny shapes for CI smoke runs: every code path (one layer, stacked, bidirectional), in seconds. */
export const kQuickGrid = [shape(2, 8, 8, 16), shape(2, 4, 8, 16, 2, true)];

/** "BxTxIxH", optionally followed by "xL" and "bi": 32x100x64x128x2bi. */
const kShapePattern = /^(\d+)x(\d+)x(\d+)x(\d+)(?:x(\d+))?(bi)?$/;

/** @param {string} text @returns {Shape} */
export function parseShape(text) {
  const m = kShapePattern.exec(text.trim());
  if (!m) throw new Error(`--shapes: ${JSON.stringify(text)} is not BxTxIxH[xL][bi] (for example 16x100x64x128 or 32x100x64x128x2bi)`);
  const [b, t, i, h, l] = [m[1], m[2], m[3], m[4], m[5] ?? '1'].map(Number);
  if ([b, t, i, h, l].some((v) => v < 1)) throw new Error(`--shapes: ${text}: every size must be at least 1`);
  return shape(b, t, i, h, l, m[6] === 'bi');
}

/** The spec form, which parseShape reads back: 32x100x64x128x2bi. @param {Shape} s */
export function shapeSpec(s) {
  const layers = s.layers > 1 || s.bidirectional ? `x${s.layers}` : '';
  return `${s.batch}x${s.steps}x${s.inputSize}x${s.hiddenSize}${layers}${s.bidirectional ? 'bi' : ''}`;
}

/** For tables: (B,T,I,H) plus layers and direction when not the default. @param {Shape} s */
export function shapeLabel(s) {
  const extra = [s.layers > 1 ? `${s.layers} layers` : '', s.bidirectional ? 'bidir' : ''].filter(Boolean).join(' ');
  return `(${s.batch},${s.steps},${s.inputSize},${s.hiddenSize})${extra ? ` ${extra}` : ''}`;
}

/** FLOPs of one forward: the library's forwardFlops (benchmark() credits the same), 2·B·T·4H·(I_k + H) per layer k and direction. @param {Shape} s */
export function forwardFlops(s) {
  return lib.forwardFlops(s);
}

/**
 * FLOPs credited to one run of a task: a forward's, or 3× that for a training step (forward,
 * then a backward about twice its cost; the head, loss and update are left out).
 * @param {Shape} s @param {'forward' | 'train'} task
 */
export function taskFlops(s, task) {
  return (task === 'train' ? 3 : 1) * forwardFlops(s);
}

/** The dispatch ceiling of issue 3: L·D·(T + 1) + 4. @param {Pick<Shape, 'steps' | 'layers' | 'bidirectional'>} s */
export function dispatchCeiling(s) {
  return s.layers * (s.bidirectional ? 2 : 1) * (s.steps + 1) + 4;
}

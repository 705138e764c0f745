// The training step every library takes: mean squared error, Adam with Keras's defaults
// (lr 1e-3, betas 0.9 and 0.999, epsilon 1e-7), one bias vector per gate (Keras, TensorFlow.js).

export const kAdam = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** webgpu-lstm's trainer options for the same step: Keras-style single bias, Keras's epsilon. */
export const kTrainOptions = {
  loss: /** @type {const} */ ('mse'),
  optimizer: { kind: /** @type {const} */ ('adam'), lr: kAdam.lr, betas: /** @type {[number, number]} */ ([kAdam.beta1, kAdam.beta2]), eps: kAdam.epsilon },
  singleBias: true,
};

/**
 * Steps every backend takes before any time counts; the losses they return (the loss before each
 * update: at the initial weights, then after one and two Adam steps) are cross-checked.
 */
export const kCheckSteps = 3;

/**
 * After the check steps, untimed warm-up steps until this many steps in all, while the next one
 * (judged by the last) fits in kWarmUpMs: the host code of every library here is JavaScript, and
 * V8 needs 10–20 calls of a small step to optimise it (webgpu-lstm/wasm at (32,12,1,50), Node,
 * 1 thread: 2.6–3.0 ms a step after 3 steps, 1.4–1.5 ms after 20; tfjs/wasm 41 ms, then 15–23 ms).
 */
export const kWarmUpSteps = 20;

/** The most time the warm-up steps after the check steps may take, in milliseconds. */
export const kWarmUpMs = 1000;

/** A backend whose losses differ from the float64 reference's by more than this (relative) trains something else. */
export const kLossTolerance = 1e-3;

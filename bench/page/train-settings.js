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

/** A backend whose losses differ from the float64 reference's by more than this (relative) trains something else. */
export const kLossTolerance = 1e-3;

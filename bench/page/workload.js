// One cell's workload: the model and the input every library runs, made from seeds (in the page,
// and in Node for the Dawn rows) so no large array crosses between them.

const kModelSeed = 1234;
const kInputSeed = 5678;
const kTargetSeed = 91011;

/** Uniform values in [-1, 1) from a xorshift32 stream. @param {number} n @param {number} seed */
function seededInput(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

/**
 * What a cell measures: one forward call, or one training step (forward, loss, backward, Adam).
 * @typedef {'forward' | 'train'} Task
 */

/**
 * @typedef {{ batch: number, steps: number, inputSize: number, hiddenSize: number, layers: number, bidirectional: boolean }} Shape
 * @typedef {{ shape: Shape, task: Task, model: any, x: Float32Array, y: Float32Array | null, directions: number }} Workload
 */

/**
 * The model (PyTorch-initialised weights, seeded) and x [T, B, I] time-major. For training the
 * model gets a Dense(1) head on the last step (Keras's LSTM(H) + Dense(1)) and the targets
 * y [B, 1] are seeded values in [-1, 1).
 * @param {any} lib the library's API @param {Shape} shape @param {Task} [task] @returns {Workload}
 */
export function makeWorkload(lib, shape, task = 'forward') {
  const model = lib.LSTM.random({
    inputSize: shape.inputSize,
    hiddenSize: shape.hiddenSize,
    numLayers: shape.layers,
    bidirectional: shape.bidirectional,
    seed: kModelSeed,
    ...(task === 'train' ? { head: { layers: [{ outFeatures: 1, activation: 'linear' }], over: 'last' } } : {}),
  });
  const x = seededInput(shape.steps * shape.batch * shape.inputSize, kInputSeed);
  const y = task === 'train' ? seededInput(shape.batch, kTargetSeed) : null;
  return { shape, task, model, x, y, directions: shape.bidirectional ? 2 : 1 };
}

// One cell's workload: the model and the input every library runs, made in the page from seeds so
// no large array crosses from Node.

const kModelSeed = 1234;
const kInputSeed = 5678;

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
 * @typedef {{ batch: number, steps: number, inputSize: number, hiddenSize: number, layers: number, bidirectional: boolean }} Shape
 * @typedef {{ shape: Shape, model: any, x: Float32Array, directions: number }} Workload
 */

/**
 * The model (PyTorch-initialised weights, seeded) and x [T, B, I] time-major.
 * @param {any} lib the library's API @param {Shape} shape @returns {Workload}
 */
export function makeWorkload(lib, shape) {
  const model = lib.LSTM.random({
    inputSize: shape.inputSize,
    hiddenSize: shape.hiddenSize,
    numLayers: shape.layers,
    bidirectional: shape.bidirectional,
    seed: kModelSeed,
  });
  const x = seededInput(shape.steps * shape.batch * shape.inputSize, kInputSeed);
  return { shape, model, x, directions: shape.bidirectional ? 2 : 1 };
}

// TensorFlow.js (the UMD bundles loaded by index.html as `window.tf`): tf.layers.lstm with sigmoid
// recurrent activation, stacked and wrapped in tf.layers.bidirectional as the shape asks.
import { kerasWeights } from '../convert-weights.js';
import { batchMajorToTimeMajor, timeMajorToBatchMajor } from '../layout.js';

let wasmConfigured = false;

/** @param {string} name @param {{ threads: number }} options */
async function activate(name, options) {
  const tf = /** @type {any} */ (window).tf;
  if (name === 'wasm' && !wasmConfigured) {
    tf.wasm.setWasmPaths('/tfjs/tfjs-backend-wasm/dist/');
    tf.wasm.setThreadsCount(options.threads);
    wasmConfigured = true;
  }
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) throw new Error(`tfjs: the ${name} backend did not initialise`);
  await tf.ready();
  return tf;
}

/** The Keras model with the workload's weights, built on the active backend. */
function buildModel(tf, lib, workload) {
  const { steps: T, inputSize: I, hiddenSize: H, layers: L, bidirectional } = workload.shape;
  const input = tf.input({ shape: [T, I] });
  let y = input;
  const layers = [];
  for (let k = 0; k < L; k++) {
    // Zero initialisers: setWeights replaces them below, and the default orthogonal one costs a QR
    // decomposition (minutes on a software adapter) that is no part of running a trained model.
    const lstm = tf.layers.lstm({
      units: H,
      returnSequences: true,
      recurrentActivation: 'sigmoid',
      kernelInitializer: 'zeros',
      recurrentInitializer: 'zeros',
      biasInitializer: 'zeros',
    });
    const layer = bidirectional ? tf.layers.bidirectional({ layer: lstm, mergeMode: 'concat' }) : lstm;
    y = layer.apply(y);
    layers.push(layer);
  }
  const model = tf.model({ inputs: input, outputs: y });
  layers.forEach((layer, k) => {
    const tensors = [];
    for (let d = 0; d < workload.directions; d++) {
      const w = kerasWeights(lib, workload.model, k, d);
      tensors.push(tf.tensor2d(w.kernel, [w.inputWidth, 4 * H]), tf.tensor2d(w.recurrent, [H, 4 * H]), tf.tensor1d(w.bias));
    }
    layer.setWeights(tensors); // Bidirectional takes the forward layer's weights, then the backward layer's
    tf.dispose(tensors);
  });
  return model;
}

/**
 * @param {any} lib @param {import('../workload.js').Workload} workload
 * @param {'webgpu'|'wasm'|'cpu'} name @param {{ threads: number }} options
 * @returns {Promise<import('./index.js').BenchRunner>}
 */
export async function openTfjs(lib, workload, name, options) {
  const tf = await activate(name, options);
  const { batch: B, steps: T, inputSize: I, hiddenSize: H } = workload.shape;
  const model = buildModel(tf, lib, workload);
  const xBatchMajor = timeMajorToBatchMajor(workload.x, T, B, I);
  return {
    // Each model lives on the backend it was built on; switching (untimed) keeps its weights there.
    activate: () => activate(name, options),
    async run() {
      const x = tf.tensor3d(xBatchMajor, [B, T, I]);
      const y = model.predict(x, { batchSize: B });
      const data = await y.data();
      tf.dispose([x, y]);
      return data;
    },
    timeMajor: (data) => batchMajorToTimeMajor(data, B, T, workload.directions * H),
    stats: () => null,
    dispose: () => model.dispose(),
  };
}

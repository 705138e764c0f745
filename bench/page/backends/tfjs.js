// TensorFlow.js (the UMD bundles loaded by index.html as `window.tf`): tf.layers.lstm with sigmoid
// recurrent activation, stacked and wrapped in tf.layers.bidirectional as the shape asks; for
// training, a tf.layers.dense(1) head on the last step, compiled with Adam and meanSquaredError.
import { kerasDenseWeights, kerasWeights } from '../convert-weights.js';
import { batchMajorToTimeMajor, timeMajorToBatchMajor } from '../layout.js';
import { kAdam } from '../train-settings.js';

let wasmConfigured = false;

/**
 * Makes `name` TensorFlow.js's active backend (the wasm one with `options.threads` threads).
 * @param {string} name @param {{ threads: number }} options
 */
export async function activate(name, options) {
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

/**
 * The Keras model with the workload's weights, built on the active backend: the LSTM stack with
 * every step's output (forward), or the stack's last step into Dense(1) (training, whose model
 * has that head).
 */
function buildModel(tf, lib, workload) {
  const { steps: T, inputSize: I, hiddenSize: H, layers: L, bidirectional } = workload.shape;
  const withHead = workload.task === 'train';
  const input = tf.input({ shape: [T, I] });
  let y = input;
  const layers = [];
  for (let k = 0; k < L; k++) {
    // Zero initialisers: setWeights replaces them below, and the default orthogonal one costs a QR
    // decomposition (minutes on a software adapter) that is no part of running or training a model.
    const lstm = tf.layers.lstm({
      units: H,
      returnSequences: !withHead || k < L - 1,
      recurrentActivation: 'sigmoid',
      kernelInitializer: 'zeros',
      recurrentInitializer: 'zeros',
      biasInitializer: 'zeros',
    });
    const layer = bidirectional ? tf.layers.bidirectional({ layer: lstm, mergeMode: 'concat' }) : lstm;
    y = layer.apply(y);
    layers.push(layer);
  }
  let dense = null;
  if (withHead) {
    dense = tf.layers.dense({ units: 1, kernelInitializer: 'zeros', biasInitializer: 'zeros' });
    y = dense.apply(y);
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
  if (dense) {
    const w = kerasDenseWeights(workload.model, 0);
    const tensors = [tf.tensor2d(w.kernel, [w.inputs, w.outputs]), tf.tensor1d(w.bias)];
    dense.setWeights(tensors);
    tf.dispose(tensors);
  }
  return model;
}

/**
 * One forward call (`predict` with batchSize B) per run.
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

/**
 * One training step per run: `trainOnBatch` on the whole batch (upload of x and y, forward, loss,
 * backward, Adam), which returns the step's loss read back.
 * @param {any} lib @param {import('../workload.js').Workload} workload
 * @param {'webgpu'|'wasm'|'cpu'} name @param {{ threads: number }} options
 * @returns {Promise<import('./index.js').BenchTrainer>}
 */
export async function openTfjsTrainer(lib, workload, name, options) {
  const tf = await activate(name, options);
  const { batch: B, steps: T, inputSize: I } = workload.shape;
  const model = buildModel(tf, lib, workload);
  model.compile({ optimizer: tf.train.adam(kAdam.lr, kAdam.beta1, kAdam.beta2, kAdam.epsilon), loss: 'meanSquaredError' });
  const xBatchMajor = timeMajorToBatchMajor(workload.x, T, B, I);
  const targets = /** @type {Float32Array} */ (workload.y);
  return {
    activate: () => activate(name, options),
    async run() {
      const x = tf.tensor3d(xBatchMajor, [B, T, I]);
      const y = tf.tensor2d(targets, [B, 1]);
      const loss = await model.trainOnBatch(x, y);
      tf.dispose([x, y]);
      return loss;
    },
    dispose: () => {
      model.optimizer?.dispose();
      model.dispose();
    },
  };
}

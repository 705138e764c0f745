// The forecast recipe in TensorFlow.js, for bench/forecast-wall.mjs: the same LSTM(units) + Dense(1)
// with the same initial weights, fit with Adam (Keras's epsilon) on mean squared error, validation
// after every epoch, then one-step-ahead predictions of the training and test windows.
import { activate } from './backends/tfjs.js';
import { kAdam } from './train-settings.js';

/**
 * @typedef {{ x: number[], y: number[], count: number }} WindowSet batch-first x [count, window, 1], y [count, 1]
 * @typedef {{ kernel: number[], recurrent: number[], bias: number[], denseKernel: number[], denseBias: number[] }} KerasWeights
 */

/**
 * Trains and predicts; the time counted runs from building the model to the last prediction (the
 * backend is started before). Stops after the epoch that passes `capSeconds`, if any.
 * @param {{ backend: 'webgpu'|'wasm'|'cpu', threads: number, window: number, units: number, lr: number, epochs: number,
 *   batchSize: number, capSeconds: number, train: WindowSet, test: WindowSet, weights: KerasWeights }} run
 */
export async function forecastTfjs(run) {
  const tf = await activate(run.backend, { threads: run.threads });
  const { window: T, units: H } = run;
  const start = performance.now();
  const input = tf.input({ shape: [T, 1] });
  const lstm = tf.layers.lstm({ units: H, recurrentActivation: 'sigmoid', kernelInitializer: 'zeros', recurrentInitializer: 'zeros', biasInitializer: 'zeros' });
  const dense = tf.layers.dense({ units: 1, kernelInitializer: 'zeros', biasInitializer: 'zeros' });
  const model = tf.model({ inputs: input, outputs: dense.apply(lstm.apply(input)) });
  const w = run.weights;
  lstm.setWeights([tf.tensor2d(w.kernel, [1, 4 * H]), tf.tensor2d(w.recurrent, [H, 4 * H]), tf.tensor1d(w.bias)]);
  dense.setWeights([tf.tensor2d(w.denseKernel, [H, 1]), tf.tensor1d(w.denseBias)]);
  model.compile({ optimizer: tf.train.adam(run.lr, kAdam.beta1, kAdam.beta2, kAdam.epsilon), loss: 'meanSquaredError' });
  const tensors = (set) => [tf.tensor3d(set.x, [set.count, T, 1]), tf.tensor2d(set.y, [set.count, 1])];
  const [xTrain, yTrain] = tensors(run.train);
  const [xTest, yTest] = tensors(run.test);
  /** @type {number[]} */
  const epochSeconds = [];
  let last = performance.now();
  const history = await model.fit(xTrain, yTrain, {
    epochs: run.epochs,
    batchSize: run.batchSize,
    shuffle: true,
    validationData: [xTest, yTest],
    verbose: 0,
    callbacks: {
      onEpochEnd: async () => {
        const now = performance.now();
        epochSeconds.push((now - last) / 1000);
        last = now;
        if ((now - start) / 1000 > run.capSeconds) model.stopTraining = true;
      },
    },
  });
  const predict = async (x) => {
    const y = model.predict(x, { batchSize: run.batchSize });
    const values = Array.from(await y.data());
    y.dispose();
    return values;
  };
  const trainPrediction = await predict(xTrain);
  const testPrediction = await predict(xTest);
  const seconds = (performance.now() - start) / 1000;
  const losses = history.history.loss.map(Number);
  const valLosses = (history.history.val_loss ?? []).map(Number);
  tf.dispose([xTrain, yTrain, xTest, yTest]);
  model.dispose();
  return { seconds, epochs: epochSeconds.length, epochSeconds, trainPrediction, testPrediction, lastLoss: losses.at(-1), lastValLoss: valLosses.at(-1) };
}

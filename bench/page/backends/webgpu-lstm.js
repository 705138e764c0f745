// webgpu-lstm itself, through the public API: on WebGPU (in the page, or in Node through Dawn) or
// on its CPU backend.
import { kTrainOptions } from '../train-settings.js';

/** Opens a backend: `lib.createBackend({ prefer })` in the page, createNodeBackend for Dawn. @typedef {() => Promise<any>} BackendMaker */

/**
 * One forward call per run.
 * @param {import('../workload.js').Workload} workload @param {BackendMaker} makeBackend
 * @returns {Promise<import('./index.js').BenchRunner>}
 */
export async function openWebgpuLstm(workload, makeBackend) {
  const backend = await makeBackend();
  const runner = await backend.load(workload.model);
  const options = { steps: workload.shape.steps, batch: workload.shape.batch };
  return {
    run: () => runner.forward(workload.x, options),
    timeMajor: (result) => result.output.data,
    stats: (result) => result.stats,
    dispose() {
      runner.dispose();
      backend.dispose();
    },
  };
}

/**
 * One training step per run: `trainer.fit` over the whole batch (one minibatch of B, one epoch,
 * no shuffle), which returns once the step's loss is read back.
 * @param {import('../workload.js').Workload} workload @param {BackendMaker} makeBackend
 * @returns {Promise<import('./index.js').BenchTrainer>}
 */
export async function openWebgpuLstmTrainer(workload, makeBackend) {
  const backend = await makeBackend();
  const trainer = await backend.train(workload.model, kTrainOptions);
  const { steps, batch } = workload.shape;
  const options = { steps, batch, epochs: 1, batchSize: batch, shuffle: false };
  return {
    async run() {
      const history = await trainer.fit(workload.x, workload.y, options);
      return history.loss[0];
    },
    dispose() {
      trainer.dispose();
      backend.dispose();
    },
  };
}

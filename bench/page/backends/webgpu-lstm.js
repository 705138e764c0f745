// webgpu-lstm itself, on its WebGPU or its CPU backend, through the public API.

/**
 * @param {any} lib the library's API @param {import('../workload.js').Workload} workload
 * @param {'webgpu'|'cpu'} prefer
 * @returns {Promise<import('./index.js').BenchRunner>}
 */
export async function openWebgpuLstm(lib, workload, prefer) {
  const backend = await lib.createBackend({ prefer });
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

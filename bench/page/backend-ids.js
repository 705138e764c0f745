// The backends the bench times, in table order: webgpu-lstm first, then its peers. Shared by the
// page and the Node runner.
export const kBackendIds = /** @type {const} */ ([
  'webgpu-lstm/webgpu',
  'webgpu-lstm/dawn',
  'webgpu-lstm/wasm',
  'webgpu-lstm/wasm-1t',
  'webgpu-lstm/wasm-node',
  'webgpu-lstm/wasm-node-1t',
  'webgpu-lstm/cpu',
  'tfjs/webgpu',
  'tfjs/wasm',
  'tfjs/cpu',
  'ort/webgpu',
  'ort/wasm',
]);

/** The backends of the training bench (ONNX Runtime Web does not train), in table order. */
export const kTrainBackendIds = /** @type {const} */ ([
  'webgpu-lstm/webgpu',
  'webgpu-lstm/dawn',
  'webgpu-lstm/wasm',
  'webgpu-lstm/wasm-1t',
  'webgpu-lstm/wasm-node',
  'webgpu-lstm/wasm-node-1t',
  'webgpu-lstm/cpu',
  'tfjs/webgpu',
  'tfjs/wasm',
  'tfjs/cpu',
  'torch/cpu',
]);

/** Training-only backends: PyTorch's native step (bench/lib/torch-trainer.mjs), where python3-torch is installed. */
export const kTrainOnlyIds = /** @type {readonly string[]} */ (['torch/cpu']);

/**
 * The backends timed in Node rather than in the page: webgpu-lstm on WebGPU through Dawn, the wasm
 * engine in Node (all threads and one), and PyTorch's native training step.
 */
export const kNodeBackendIds = /** @type {readonly string[]} */ (['webgpu-lstm/dawn', 'webgpu-lstm/wasm-node', 'webgpu-lstm/wasm-node-1t', 'torch/cpu']);

/** The backend every other one is checked against. */
export const kReferenceId = 'webgpu-lstm/cpu';

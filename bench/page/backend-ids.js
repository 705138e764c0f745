// The backends the bench times, in table order: webgpu-lstm first, then its peers. Shared by the
// page and the Node runner.
export const kBackendIds = /** @type {const} */ ([
  'webgpu-lstm/webgpu',
  'webgpu-lstm/dawn',
  'webgpu-lstm/wasm',
  'webgpu-lstm/wasm-1t',
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
  'webgpu-lstm/cpu',
  'tfjs/webgpu',
  'tfjs/wasm',
  'tfjs/cpu',
]);

/** The backends timed in Node rather than in the page: webgpu-lstm on WebGPU through Dawn. */
export const kNodeBackendIds = /** @type {readonly string[]} */ (['webgpu-lstm/dawn']);

/** The backend every other one is checked against. */
export const kReferenceId = 'webgpu-lstm/cpu';

// The backends the bench times, in table order: webgpu-lstm first, then its peers. Shared by the
// page and the Node runner.
export const kBackendIds = /** @type {const} */ ([
  'webgpu-lstm/webgpu',
  'webgpu-lstm/cpu',
  'tfjs/webgpu',
  'tfjs/wasm',
  'tfjs/cpu',
  'ort/webgpu',
  'ort/wasm',
]);

/** The backend every other one is checked against. */
export const kReferenceId = 'webgpu-lstm/cpu';

import type { VerifyReport } from '../api/compare.js';
import { verify as verifyOn, type VerifyOptions, type VerifySubject } from '../api/verify.js';
import type { LSTM } from '../model/lstm.js';
import { createNodeBackend, type NodeBackendOptions } from './node-backend.js';

/**
 * verify's options, and where WebGPU runs when no `backend` is given: createNodeBackend's `runtime`
 * ('auto' by default: Dawn, else headless Chromium), `dawn` and `chromium` options.
 */
export interface NodeVerifyOptions extends VerifyOptions, Pick<NodeBackendOptions, 'runtime' | 'dawn' | 'chromium'> {}

/**
 * The main entry's verify for Node: without `options.backend` it opens the Node backend
 * (createNodeBackend with prefer 'webgpu' and `options.runtime`; prefer 'wasm' needs no runtime),
 * verifies on it and closes it; with one, it is the same as verify. Errors as createNodeBackend's
 * and verify's.
 *
 * @example
 * import { verify } from 'webgpu-lstm/node';
 * const report = await verify(model, x, { steps: 100, batch: 4 }); // Dawn where it has an adapter
 * const onWasm = await verify(model, x, { steps: 100, batch: 4, prefer: 'wasm' }); // the wasm engine
 */
export async function verify(model: LSTM, x: ArrayLike<number>, options: NodeVerifyOptions): Promise<VerifyReport & VerifySubject> {
  const { runtime, dawn, chromium, ...rest } = options ?? ({} as NodeVerifyOptions);
  // A backend, the wasm engine, a GPU object or a device of the caller's own: nothing for Node to open.
  if (rest.backend !== undefined || rest.prefer === 'wasm' || rest.gpu?.gpu || rest.gpu?.device) return verifyOn(model, x, rest);
  const backend = await createNodeBackend({ ...rest.gpu, prefer: 'webgpu', runtime, dawn, chromium });
  try {
    return await verifyOn(model, x, { ...rest, backend });
  } finally {
    await backend.close();
  }
}

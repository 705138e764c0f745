import './dawn-env.js';
import { createNodeBackend } from '../../src/node/node-backend.js';
import { describeForwardContract } from '../support/forward-contract.js';
import { kDistDir } from '../support/gpu-session.js';
import { openDawn } from './dawn-env.js';

// The shared forward-result contract on both Node runtimes: Dawn in this process, and headless
// Chromium (whose results travel back over the wire, where `prediction` was once left behind).
describeForwardContract("Node, runtime 'dawn'", async () => {
  const backend = await openDawn();
  return { forward: async ({ model, x, options }) => (await backend.load(model)).forward(x, options), close: () => backend.close() };
});

describeForwardContract("Node, runtime 'chromium'", async () => {
  const backend = await createNodeBackend({ prefer: 'webgpu', runtime: 'chromium', chromium: { libraryDir: kDistDir } });
  return { forward: async ({ model, x, options }) => (await backend.load(model)).forward(x, options), close: () => backend.close() };
});

// A user's script that opens headless Chromium through the built library and never closes it.
// argv: <dist folder> <session|backend> <end|wait|own-handler>
//   end: the script's work ends here (Node must exit by itself);
//   wait: it keeps running until a signal arrives;
//   own-handler: like wait, with the application's own SIGTERM handler, which exits with status 7.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, what, then] = process.argv.slice(2);
const lib = await import(pathToFileURL(join(dist, 'index.js')).href);
const node = await import(pathToFileURL(join(dist, 'node.js')).href);

if (what === 'session') {
  const session = await node.BrowserSession.open({ libraryDir: dist });
  await session.page.evaluate(async () => {
    const backend = await window.webgpuLstm.createBackend({ prefer: 'webgpu' });
    backend.dispose();
  });
} else {
  const backend = await node.createNodeBackend({ prefer: 'webgpu', runtime: 'chromium', chromium: { libraryDir: dist } });
  const model = lib.LSTM.random({ inputSize: 2, hiddenSize: 3, seed: 1 });
  const runner = await backend.load(model);
  await runner.forward(new Float32Array(4), { steps: 2, batch: 1 });
}
if (then === 'own-handler') {
  process.on('SIGTERM', () => {
    console.log('the application handles SIGTERM');
    setTimeout(() => process.exit(7), 50);
  });
}
if (then !== 'end') setInterval(() => undefined, 1000);
console.log('ready');

// A race's CPU-side lane, in a worker: the wasm engine or the float64 reference. The reference can
// take seconds on large shapes and the page must keep painting its progress bar meanwhile; a
// worker may also block on Atomics.wait, so the wasm engine's threads sleep at their barriers
// there instead of spinning as they must on a page's main thread. It times only the forward calls.
import { createBackend, LSTM, LstmError, type Backend, type ForwardResult } from 'webgpu-lstm';
import type { EngineRaceMessage, EngineRaceRequest } from './protocol.js';

/** The slice of the worker global this file uses (the project's TypeScript lib is DOM, not WebWorker). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<EngineRaceRequest>) => void) | null;
  postMessage(message: EngineRaceMessage, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

async function race(request: EngineRaceRequest): Promise<void> {
  const { engine, shape, seed, x, warmup, reps } = request;
  let backend: Backend;
  try {
    backend = await createBackend({ prefer: engine });
  } catch (error) {
    // Only "this browser cannot run it" is a lane without figures; every other failure fails the race.
    if (!(error instanceof LstmError) || error.code !== 'BACKEND_UNAVAILABLE') throw error;
    return scope.postMessage({ type: 'unavailable', reason: error.message });
  }
  scope.postMessage({ type: 'opened', reason: backend.reason });
  // The same seed gives the same weights as the page's model: every lane runs one model.
  const runner = await backend.load(LSTM.random({ inputSize: shape.inputSize, hiddenSize: shape.hiddenSize, seed }));
  const options = { steps: shape.steps, batch: shape.batch };
  const timesMs: number[] = [];
  let result: ForwardResult | null = null;
  for (let run = 0; run < warmup + reps; run++) {
    const start = performance.now();
    result = await runner.forward(x, options);
    if (run >= warmup) timesMs.push(performance.now() - start);
    scope.postMessage({ type: 'run' });
  }
  runner.dispose();
  backend.dispose();
  const buffers = result ? [result.output.data.buffer, result.hN.data.buffer, result.cN.data.buffer] : [];
  scope.postMessage({ type: 'done', timesMs, result: result! }, buffers as Transferable[]);
}

scope.onmessage = (event) => {
  race(event.data).catch((error: unknown) => {
    scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
};

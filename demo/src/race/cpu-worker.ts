// The race's CPU side, in a worker: the float64 reference can take seconds on large shapes, and
// the page must keep painting its progress bar meanwhile. It times only the forward calls.
import { createBackend, LSTM, type ForwardResult } from 'webgpu-lstm';
import type { CpuRaceMessage, CpuRaceRequest } from './protocol.js';

/** The slice of the worker global this file uses (the project's TypeScript lib is DOM, not WebWorker). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<CpuRaceRequest>) => void) | null;
  postMessage(message: CpuRaceMessage, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

async function race(request: CpuRaceRequest): Promise<void> {
  const { shape, seed, x, warmup, reps } = request;
  const backend = await createBackend({ prefer: 'cpu' });
  // The same seed gives the same weights as the page's model: both sides run one model.
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
  const buffers = result ? [result.output.data.buffer, result.hN.data.buffer, result.cN.data.buffer] : [];
  scope.postMessage({ type: 'done', timesMs, result: result! }, buffers as Transferable[]);
}

scope.onmessage = (event) => {
  race(event.data).catch((error: unknown) => {
    scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
};

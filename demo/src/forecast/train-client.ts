import { runInWorker } from '../ui/worker-task.js';
import type { TrainMessage, TrainRequest } from './protocol.js';

/**
 * Trains in a fresh module worker, handing each message to `onMessage`; resolves after 'done',
 * rejects on 'error'. Aborting terminates the worker on the spot (Stop).
 */
export function trainInWorker(request: TrainRequest, onMessage: (message: TrainMessage) => void, signal: AbortSignal): Promise<void> {
  const start = () => new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module', name: 'webgpu-lstm forecaster' });
  return runInWorker<TrainMessage, void>(
    start,
    request,
    signal,
    (data) => {
      if (data.type === 'error') return { failed: new Error(data.message) };
      onMessage(data);
      return data.type === 'done' ? { done: undefined } : undefined;
    },
    'the training worker',
  );
}

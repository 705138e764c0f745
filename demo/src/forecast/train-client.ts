import type { TrainMessage, TrainRequest } from './protocol.js';

/**
 * Trains in a fresh module worker, handing each message to `onMessage`; resolves after 'done',
 * rejects on 'error'. Aborting terminates the worker on the spot (Stop).
 */
export function trainInWorker(request: TrainRequest, onMessage: (message: TrainMessage) => void, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const worker = new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module', name: 'webgpu-lstm forecaster' });
    const finish = () => {
      worker.terminate();
      signal.removeEventListener('abort', stop);
    };
    const stop = () => {
      finish();
      reject(signal.reason);
    };
    signal.addEventListener('abort', stop);
    worker.onmessage = ({ data }: MessageEvent<TrainMessage>) => {
      if (data.type === 'error') {
        finish();
        return reject(new Error(data.message));
      }
      onMessage(data);
      if (data.type === 'done') {
        finish();
        resolve();
      }
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(`the training worker failed: ${event.message || 'it could not start'}`));
    };
    worker.postMessage(request);
  });
}

import type { ForwardResult } from 'webgpu-lstm';
import type { CpuRaceMessage, CpuRaceRequest } from './protocol.js';

/**
 * Runs the CPU side of a race in a fresh worker: `onRun` after each forward pass, the timed runs
 * and the last result at the end. Aborting terminates the worker on the spot.
 */
export function runCpuRace(
  request: CpuRaceRequest,
  onRun: () => void,
  signal: AbortSignal,
): Promise<{ timesMs: number[]; result: ForwardResult }> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const worker = new Worker(new URL('./cpu-worker.ts', import.meta.url), { type: 'module', name: 'webgpu-lstm CPU race' });
    const finish = () => {
      worker.terminate();
      signal.removeEventListener('abort', stop);
    };
    const stop = () => {
      finish();
      reject(signal.reason);
    };
    signal.addEventListener('abort', stop);
    worker.onmessage = ({ data }: MessageEvent<CpuRaceMessage>) => {
      if (data.type === 'run') return onRun();
      finish();
      if (data.type === 'done') resolve({ timesMs: data.timesMs, result: data.result });
      else reject(new Error(data.message));
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(`the CPU worker failed: ${event.message || 'it could not start'}`));
    };
    // Cloned, not transferred: the page keeps its copy of x.
    worker.postMessage(request);
  });
}

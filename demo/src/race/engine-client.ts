import type { ForwardResult } from 'webgpu-lstm';
import type { EngineRaceMessage, EngineRaceRequest } from './protocol.js';

/** What a worker lane hands back: its backend's reason, the timed runs and the last result, or why it cannot run here. */
export type EngineRaceOutcome =
  | { readonly reason: string; readonly timesMs: number[]; readonly result: ForwardResult }
  | { readonly reason: string; readonly timesMs: null; readonly result: null };

/**
 * Runs one CPU-side lane of a race (the wasm engine or the reference) in a fresh worker: `onRun`
 * after each forward pass. Aborting terminates the worker on the spot.
 */
export function runEngineRace(request: EngineRaceRequest, onRun: () => void, signal: AbortSignal): Promise<EngineRaceOutcome> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: `webgpu-lstm ${request.engine} race` });
    let reason = '';
    const finish = () => {
      worker.terminate();
      signal.removeEventListener('abort', stop);
    };
    const stop = () => {
      finish();
      reject(signal.reason);
    };
    signal.addEventListener('abort', stop);
    worker.onmessage = ({ data }: MessageEvent<EngineRaceMessage>) => {
      if (data.type === 'opened') return void (reason = data.reason);
      if (data.type === 'run') return onRun();
      if (data.type === 'unavailable') {
        finish();
        return resolve({ reason: data.reason, timesMs: null, result: null });
      }
      finish();
      if (data.type === 'done') resolve({ reason, timesMs: data.timesMs, result: data.result });
      else reject(new Error(`${request.engine === 'wasm' ? 'the wasm engine' : 'the CPU reference'}: ${data.message}`));
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(`the ${request.engine} worker failed: ${event.message || 'it could not start'}`));
    };
    // Cloned, not transferred: the page keeps its copy of x.
    worker.postMessage(request);
  });
}

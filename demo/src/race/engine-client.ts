import type { ForwardResult } from 'webgpu-lstm';
import { runInWorker } from '../ui/worker-task.js';
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
  const start = () => new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: `webgpu-lstm ${request.engine} race` });
  let reason = '';
  return runInWorker<EngineRaceMessage, EngineRaceOutcome>(
    start,
    request,
    signal,
    (data) => {
      if (data.type === 'opened') reason = data.reason;
      else if (data.type === 'run') onRun();
      else if (data.type === 'unavailable') return { done: { reason: data.reason, timesMs: null, result: null } };
      else if (data.type === 'done') return { done: { reason, timesMs: data.timesMs, result: data.result } };
      else return { failed: new Error(`${request.engine === 'wasm' ? 'the wasm engine' : 'the CPU reference'}: ${data.message}`) };
      return undefined;
    },
    `the ${request.engine} worker`,
  );
}

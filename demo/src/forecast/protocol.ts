import type { BackendKind, ForecastOptions } from 'webgpu-lstm';

/** The data sets the worker can load itself (the births package is large: it never loads on the page's thread). */
export type DatasetRequest =
  | { readonly kind: 'births-monthly' }
  | { readonly kind: 'births-daily' }
  /** A series the page already has: a sine wave, pasted numbers, an opened CSV. */
  | { readonly kind: 'values'; readonly label: string; readonly values: Float64Array };

/** What the page asks the training worker to do. */
export interface TrainRequest {
  readonly dataset: DatasetRequest;
  readonly options: ForecastOptions;
  /** How many steps to forecast recursively past the end of the data. */
  readonly horizon: number;
}

export interface EpochMessage {
  readonly type: 'epoch';
  readonly epoch: number;
  readonly loss: number;
  readonly valLoss: number;
  readonly milliseconds: number;
}

/** The series as the worker will train on it (sent once, before the first epoch). */
export interface StartMessage {
  readonly type: 'start';
  readonly label: string;
  readonly series: Float64Array;
  /** Which backend trains, and why (WebGPU, or the CPU with the reason). */
  readonly backend: BackendKind;
  readonly reason: string;
}

export interface DoneMessage {
  readonly type: 'done';
  readonly split: number;
  readonly testTargets: Int32Array;
  readonly testPrediction: Float64Array;
  readonly future: Float64Array;
  readonly trainRmse: number;
  readonly testRmse: number;
  readonly persistenceRmse: number;
  readonly seasonalRmse: number;
  readonly seconds: number;
  /** The trained model as a model file (modelToJSON), ready to download. */
  readonly modelJson: string;
}

export type TrainMessage = StartMessage | EpochMessage | DoneMessage | { readonly type: 'error'; readonly message: string };

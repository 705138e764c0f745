import type { BackendKind } from '../core/results.js';
import { describeValue, formatShape } from '../core/describe.js';
import { invalidArgument, invalidShape, LstmError } from '../core/errors.js';
import { countNonFinite } from '../core/non-finite.js';
import type { Tensor } from '../core/tensor.js';
import { runHostLayer, type HostTensor } from '../cpu/graph/host-layers.js';
import { variantsOf } from '../model/config.js';
import type { LstmLayer } from '../model/graph/layers.js';
import type { SequenceModel } from '../model/graph/sequence-model.js';
import type { RunnerOptions } from '../gpu/runner.js';
import type { Backend, Runner } from './backend.js';
import { checkDimension } from '../model/config.js';
import { runLstmLayer } from './graph-lstm.js';
import { frontRunner } from './runner.js';
import { CpuRunner } from '../cpu/runner.js';

/** One forward call of a sequence model: x is [B, T, I] (or token ids [B, T]), batch-first as in Keras. */
export interface GraphForwardOptions {
  /** B: samples in x. */
  readonly batch: number;
  /** T: steps per sample, where the model leaves the step count open (else it must equal the model's). */
  readonly steps?: number;
}

/** Where each LSTM layer of a loaded sequence model runs, and why (the host layers always run on the CPU in float64). */
export interface LstmPlacement {
  readonly layer: string;
  readonly backend: BackendKind;
  readonly reason: string;
}

export interface GraphResult {
  /** The model's whole output, [B, ...outputShape]: what `webgpu-lstm run` writes as "prediction". */
  readonly prediction: Tensor<Float64Array>;
  readonly stats: {
    readonly backend: BackendKind;
    /** Summed over the LSTM layers' calls. */
    readonly dispatches: number;
    readonly submits: number;
    readonly readbacks: number;
    readonly nonFiniteOutputs: number;
  };
}

/** A sequence model loaded on a backend: its LSTMs on the backend, the layers between them on the host. */
export interface GraphRunner {
  readonly kind: BackendKind;
  readonly model: SequenceModel;
  readonly placement: readonly LstmPlacement[];
  forward(x: ArrayLike<number>, options: GraphForwardOptions): Promise<GraphResult>;
  dispose(): void;
}

/** Checks x against the model's input and gives it as the first host tensor [B, ...input shape]. */
export function graphInput(model: SequenceModel, x: ArrayLike<number>, options: GraphForwardOptions): HostTensor {
  if (options === null || typeof options !== 'object') throw invalidArgument(`options: expected { batch, steps }, got ${describeValue(options)}`);
  const B = checkDimension('options.batch', options.batch, 1 << 28);
  const open = model.input.shape.some((d) => d === null);
  if (open && options.steps === undefined) throw invalidArgument(`options.steps: the model's input ${JSON.stringify(model.input.name)} leaves the number of steps open; give it`);
  const steps = options.steps === undefined ? undefined : checkDimension('options.steps', options.steps, 1 << 28);
  const shape = [B, ...model.input.shape.map((d, k) => {
    if (d !== null && k === 0 && steps !== undefined && steps !== d) throw invalidArgument(`options.steps: the model reads ${d} steps, got ${steps}`);
    return d ?? steps!;
  })];
  const count = shape.reduce((a, b) => a * b, 1);
  if (x === null || typeof x !== 'object' || x.length !== count) {
    const what = model.input.tokenIds ? 'token ids' : 'values';
    throw invalidShape(`x: expected ${count} ${what} for shape ${formatShape(shape)} (batch-first), got ${describeValue(x)}`);
  }
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    if (typeof x[i] !== 'number') throw invalidArgument(`x at flat index ${i} is ${describeValue(x[i])}; expected a number`);
    data[i] = x[i];
  }
  return { shape, data, lengths: null };
}

/** Runs every layer in order; `lstmRunners` holds a runner per LSTM layer, by name. */
async function runGraph(model: SequenceModel, runners: ReadonlyMap<string, Runner>, x: ArrayLike<number>, options: GraphForwardOptions): Promise<GraphResult> {
  let value = graphInput(model, x, options);
  const stats = { dispatches: 0, submits: 0, readbacks: 0 };
  let backend: BackendKind = 'cpu';
  for (const layer of model.layers) {
    if (layer.kind !== 'lstm') {
      value = runHostLayer(layer, value);
      continue;
    }
    const runner = runners.get(layer.name)!;
    value = await runLstmLayer(layer, value, async (data, call) => {
      const result = await runner.forward(data, call);
      stats.dispatches += result.stats.dispatches;
      stats.submits += result.stats.submits;
      stats.readbacks += result.stats.readbacks;
      // The backend that ran LSTMs: WebGPU where any layer ran there (the others fell back to the CPU), else the wasm engine's.
      if (result.stats.backend === 'webgpu' || (result.stats.backend === 'wasm' && backend === 'cpu')) backend = result.stats.backend;
      return result;
    });
  }
  return { prediction: { shape: value.shape, data: value.data }, stats: { backend, ...stats, nonFiniteOutputs: countNonFinite(value.data) } };
}

/**
 * Loads a sequence model on a backend. Each LSTM layer is one of our LSTM models and loads on the
 * backend; on WebGPU, an LSTM whose variant the GPU kernels do not run (the backend says
 * BACKEND_UNAVAILABLE) loads on the CPU instead, and `placement` says so for every layer. The
 * layers between the LSTMs (Dense, normalization, embedding, ...) run on the host in float64
 * (docs/architecture.md).
 *
 * @example
 * const runner = await loadGraph(backend, await kerasModelFromBytes(bytes));
 * const { prediction } = await runner.forward(x, { batch: 3 }); // x [3, T, I]
 */
export async function loadGraph(backend: Backend, model: SequenceModel, options?: RunnerOptions): Promise<GraphRunner> {
  const runners = new Map<string, Runner>();
  const placement: LstmPlacement[] = [];
  try {
    for (const layer of model.lstmLayers) {
      const { runner, reason } = await loadLstm(backend, layer, options);
      runners.set(layer.name, runner);
      placement.push({ layer: layer.name, backend: runner.kind, reason });
    }
  } catch (error) {
    for (const runner of runners.values()) runner.dispose();
    throw error;
  }
  return {
    kind: backend.kind,
    model,
    placement,
    forward: (x, call) => runGraph(model, runners, x, call),
    dispose: () => {
      for (const runner of runners.values()) runner.dispose();
    },
  };
}

async function loadLstm(backend: Backend, layer: LstmLayer, options?: RunnerOptions): Promise<{ runner: Runner; reason: string }> {
  try {
    return { runner: await backend.load(layer.lstm, options), reason: backend.reason };
  } catch (error) {
    if (backend.kind !== 'webgpu' || !(error instanceof LstmError) || error.code !== 'BACKEND_UNAVAILABLE') throw error;
    const variants = variantsOf(layer.lstm.config);
    return { runner: frontRunner(layer.lstm, new CpuRunner(layer.lstm)), reason: `on the CPU: ${variants.length ? `its variant (${variants.join(', ')}) ` : ''}${error.message}` };
  }
}

/** The whole model in float64 on the CPU: the reference a GPU run is compared with. */
export async function referenceGraph(model: SequenceModel, x: ArrayLike<number>, options: GraphForwardOptions): Promise<GraphResult> {
  const runners = new Map(model.lstmLayers.map((layer) => [layer.name, frontRunner(layer.lstm, new CpuRunner(layer.lstm))] as const));
  return runGraph(model, runners, x, options);
}

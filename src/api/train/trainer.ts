import type { BackendKind } from '../../core/results.js';
import { describeValue } from '../../core/describe.js';
import { invalidArgument, LstmError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import type { TrainingBackend, TrainingSetup } from '../../core/training.js';
import { checkDimension, directionCount } from '../../model/config.js';
import { LSTM } from '../../model/lstm.js';
import { paramSpecs } from '../../model/params.js';
import { swapLeadingAxes } from '../../core/prepared-input.js';
import { prepareInput } from '../forward-input.js';
import { shapePrediction } from '../result.js';
import { predictionWidth, prepareDataset, range } from './data.js';
import { kMaxStepsTimesBatch } from '../../core/forward-options.js';
import { evaluateInBatches, runFit } from './fit.js';
import { checkInteger, resolveSetup } from './options.js';
import type { DataOptions, EvaluateOptions, FitOptions, Gradients, History, TrainOptions } from './types.js';

/** Makes the backend-side trainer for a model and its resolved setup (the CPU's, the GPU's). */
export type TrainingBackendFactory = (model: LSTM, setup: TrainingSetup) => TrainingBackend | Promise<TrainingBackend>;

/**
 * A model being trained, Keras's fit/evaluate/predict beside PyTorch's gradients. Every argument
 * is checked before the backend sees it; calls run one at a time, in the order they were made.
 *
 * @example
 * const trainer = await backend.train(model, { loss: 'mse', optimizer: { kind: 'adam', lr: 1e-3 } });
 * const history = await trainer.fit(x, y, { steps: T, batch: B, epochs: 50, batchSize: 32 });
 * const trained = await trainer.model(); // an LSTM, for modelToJSON or another backend.train
 */
export class Trainer {
  private disposed = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly start: LSTM,
    readonly setup: TrainingSetup,
    private readonly backend: TrainingBackend,
  ) {}

  get kind(): BackendKind {
    return this.backend.kind;
  }

  /** Runs `work` after every earlier call has finished; a call on a disposed trainer rejects with DISPOSED. */
  private exclusive<T>(what: string, work: () => Promise<T>): Promise<T> {
    const run = async () => {
      if (this.disposed) throw new LstmError('DISPOSED', `${what}: this trainer was disposed; call backend.train again`);
      return work();
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => {});
    return result;
  }

  /**
   * Trains for `epochs` epochs of minibatches, one optimizer step each on its own mean loss.
   * Resolves to the history: per epoch, the mean training loss over samples and the validation
   * loss after the epoch. Throws before any step on a bad argument.
   */
  fit(x: ArrayLike<number>, y: ArrayLike<number>, options: FitOptions): Promise<History> {
    return this.exclusive('fit', () => runFit(this.start, this.setup, this.backend, x, y, options));
  }

  /**
   * Makes the first epoch of minibatches of (steps, batch) as quick as later ones, as the runner's
   * warmup does for forward calls: on WebGPU it compiles the kernels that shape trains with and
   * makes its working set, by one gradient pass of zeros (nothing is updated; parameters and
   * optimizer state stay as they are). Nothing to do on the CPU. A last, smaller minibatch is a
   * shape of its own: warm it up too to take its cost out of the first epoch.
   *
   * @example
   * await trainer.warmup({ steps: 12, batch: 32 }); // then fit(..., { batchSize: 32 })
   */
  warmup(options: { readonly steps: number; readonly batch: number }): Promise<void> {
    return this.exclusive('warmup', async () => {
      if (options === null || typeof options !== 'object') throw invalidArgument(`warmup options: expected { steps, batch }, got ${describeValue(options)}`);
      const steps = checkDimension('options.steps', options.steps, kMaxStepsTimesBatch);
      const batch = checkDimension('options.batch', options.batch, kMaxStepsTimesBatch);
      if (steps * batch > kMaxStepsTimesBatch) throw invalidArgument(`options.steps × options.batch: expected at most ${kMaxStepsTimesBatch}, got ${steps} × ${batch}`);
      if (this.backend.kind === 'cpu') return;
      const { config } = this.start;
      const targets = (config.head!.over === 'sequence' ? steps * batch : batch) * (this.setup.loss === 'cross-entropy' ? 1 : predictionWidth(this.start));
      const data = prepareDataset(this.start, this.setup.loss, new Float64Array(steps * batch * config.inputSize), new Float64Array(targets), { steps, batch });
      await this.backend.gradients({ input: data.input, target: data.target });
    });
  }

  /** The model's prediction for x: [B, O] over 'last'; [T, B, O] ([B, T, O] with batchFirst) over 'sequence'. */
  predict(x: ArrayLike<number>, options: DataOptions): Promise<Tensor> {
    return this.exclusive('predict', async () => {
      const { lengths, h0, c0, nonFinite } = checkDataOptions(options);
      const input = prepareInput(this.start.config, x, { steps: options.steps, batch: options.batch, lengths, h0, c0, nonFinite });
      return shapePrediction(this.start.config, input.steps, input.batch, await this.backend.predict(input));
    });
  }

  /** The mean loss over every counted target element of (x, y), or over samples with options.batchSize. */
  evaluate(x: ArrayLike<number>, y: ArrayLike<number>, options: EvaluateOptions): Promise<number> {
    return this.exclusive('evaluate', async () => {
      const data = prepareDataset(this.start, this.setup.loss, x, y, checkDataOptions(options));
      const batchSize = checkInteger('options.batchSize', options.batchSize, 1, data.input.batch);
      return evaluateInBatches(this.backend, data, range(0, data.input.batch), batchSize);
    });
  }

  /** The loss of (x, y) as one batch and the gradient of every trained parameter, x, h0 and c0. */
  gradients(x: ArrayLike<number>, y: ArrayLike<number>, options: DataOptions): Promise<Gradients> {
    return this.exclusive('gradients', async () => {
      const data = prepareDataset(this.start, this.setup.loss, x, y, checkDataOptions(options));
      const result = await this.backend.gradients({ input: data.input, target: data.target });
      const { config } = this.start;
      const { steps: T, batch: B } = data.input;
      const shapes = new Map(paramSpecs(config).map((s) => [s.name, s.shape]));
      const stateShape = [config.numLayers * directionCount(config), B, config.hiddenSize];
      const I = config.inputSize;
      return {
        loss: result.loss,
        grads: new Map([...result.grads].map(([name, g]) => [name, { shape: shapes.get(name)!, data: g }])),
        dx: config.batchFirst ? { shape: [B, T, I], data: swapLeadingAxes(result.dx, T, B, I) } : { shape: [T, B, I], data: result.dx },
        dh0: { shape: stateShape, data: result.dh0 },
        dc0: { shape: stateShape, data: result.dc0 },
      };
    });
  }

  /** The model with its current parameters (float64, read back from the backend): export it or train it again. */
  model(): Promise<LSTM> {
    return this.exclusive('model', async () => {
      const params = await this.backend.readParameters();
      const tensors = new Map(paramSpecs(this.start.config).map((s) => [s.name, { shape: s.shape, data: params.get(s.name)! }]));
      // The start model's nonFinite policy: one made with 'propagate' may hold NaN, and so may its trained copy.
      return new LSTM(this.start.config, tensors, { nonFinite: this.start.nonFinite });
    });
  }

  /** Frees the backend's buffers and state; later calls reject with DISPOSED. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.backend.dispose();
  }
}

/** Rejects options that are not an object (the individual fields are checked where they are read). */
function checkDataOptions<T extends DataOptions>(options: T): T {
  if (options === null || typeof options !== 'object') throw invalidArgument(`options: expected { steps, batch, ... }, got ${describeValue(options)}`);
  return options;
}

/**
 * Checks the options, resolves the setup against the model, and makes the backend's trainer.
 * Nothing reaches the backend before every check has passed.
 */
export async function createTrainer(model: LSTM, options: TrainOptions, factory: TrainingBackendFactory): Promise<Trainer> {
  if (!(model instanceof LSTM)) throw invalidArgument(`model: expected an LSTM, got ${describeValue(model)}`);
  const setup = resolveSetup(model, options);
  return new Trainer(model, setup, await factory(model, setup));
}

import { LstmError } from '../core/errors.js';
import type { PreparedInput } from '../core/prepared-input.js';
import type { BackendKind } from '../core/results.js';
import type { GradientResult, StepResult, TrainingBackend, TrainingBatch, TrainingSetup } from '../core/training.js';
import { LSTM } from '../model/lstm.js';
import { paramSpecs } from '../model/params.js';
import { clipGradNorm, Optimizer } from './optimizers.js';
import { gradientsOf, kReferencePasses, lossOf, predictionOf, type LstmPasses } from './training-pass.js';

/**
 * Training with the parameters, the head, the loss and the optimizer on the host in float64, and
 * the LSTM's passes on an engine: the float64 reference (CpuTrainingBackend, the reference every
 * training backend is judged by) or the wasm engine (src/wasm/train/). The model is built once; the
 * optimizer updates its own parameter arrays in place and tells the passes (parametersChanged), so
 * a step allocates no copy of the parameters.
 */
export class HostTrainingBackend implements TrainingBackend {
  /** The model the passes run: its parameters are `params`' arrays, which the optimizer changes. */
  private readonly current: LSTM;
  private readonly params: Map<string, Float64Array>;
  /** Parameters the optimizer changes: all, or all but bias_hh under singleBias. */
  private readonly trained: ReadonlySet<string>;
  private readonly optimizer: Optimizer;
  private disposed = false;

  constructor(
    readonly kind: BackendKind,
    private readonly passes: LstmPasses,
    start: LSTM,
    private readonly setup: TrainingSetup,
    /** Frees what the passes hold on their engine, at dispose(). */
    private readonly releasePasses: () => void = () => {},
  ) {
    const specs = paramSpecs(start.config);
    const tensors = start.tensors(); // copies: the caller's model never changes
    if (setup.singleBias) foldRecurrentBias(new Map([...tensors].map(([name, tensor]) => [name, tensor.data])), specs);
    // Parameters may leave float32's range or turn NaN while training; passes carry them through.
    this.current = new LSTM(start.config, tensors, { nonFinite: 'propagate' });
    this.params = new Map(specs.map((spec) => [spec.name, this.current.param(spec.name)]));
    this.trained = new Set(specs.filter((s) => !(setup.singleBias && s.kind === 'bias_hh')).map((s) => s.name));
    this.optimizer = new Optimizer(setup.optimizer);
  }

  private model(): LSTM {
    if (this.disposed) throw new LstmError('DISPOSED', `trainer: this ${this.kind} training backend was disposed`);
    return this.current;
  }

  private trainedGradients(batch: TrainingBatch, withDx: boolean): GradientResult {
    const result = gradientsOf(this.passes, this.model(), this.setup.loss, batch, withDx);
    const grads = new Map([...result.grads].filter(([name]) => this.trained.has(name)));
    return { ...result, grads };
  }

  async step(batch: TrainingBatch): Promise<StepResult> {
    const { loss, grads } = this.trainedGradients(batch, false);
    let nonFiniteGradients = 0;
    for (const g of grads.values()) for (const v of g) if (!Number.isFinite(v)) nonFiniteGradients += 1;
    // As on the GPU: no NaN or infinity reaches the parameters; the step still counts in Adam's t.
    if (nonFiniteGradients > 0) {
      this.optimizer.skip();
      return { loss, nonFiniteGradients };
    }
    if (this.setup.clipNorm !== null) clipGradNorm(grads, this.setup.clipNorm);
    this.optimizer.update(this.params, grads);
    this.passes.parametersChanged?.();
    return { loss, nonFiniteGradients };
  }

  async evaluate(batch: TrainingBatch): Promise<number> {
    return lossOf(this.passes, this.model(), this.setup.loss, batch);
  }

  async gradients(batch: TrainingBatch): Promise<GradientResult> {
    const result = this.trainedGradients(batch, true);
    // The passes may write the same arrays again at the next backward (LstmForward.backward).
    return { ...result, grads: new Map([...result.grads].map(([name, grad]) => [name, grad.slice()])) };
  }

  async predict(input: PreparedInput): Promise<Float64Array> {
    return predictionOf(this.passes, this.model(), input);
  }

  async readParameters(): Promise<Map<string, Float64Array>> {
    this.model(); // throws when disposed
    return new Map([...this.params].map(([name, data]) => [name, data.slice()]));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.releasePasses();
  }
}

/** Training on the CPU in float64, every pass the reference's own. */
export class CpuTrainingBackend extends HostTrainingBackend {
  constructor(start: LSTM, setup: TrainingSetup) {
    super('cpu', kReferencePasses, start, setup);
  }
}

/**
 * Keras keeps one bias per gate; PyTorch two that only ever act as their sum. Moving bias_hh into
 * bias_ih (b_ih ← b_ih + b_hh, b_hh ← 0) keeps the model's function and leaves one bias to train.
 */
function foldRecurrentBias(params: Map<string, Float64Array>, specs: ReturnType<typeof paramSpecs>): void {
  for (const spec of specs) {
    if (spec.kind !== 'bias_hh') continue;
    const recurrent = params.get(spec.name)!;
    const input = params.get(spec.name.replace('bias_hh', 'bias_ih'))!;
    for (let k = 0; k < recurrent.length; k++) input[k] += recurrent[k];
    recurrent.fill(0);
  }
}

import type { BackendResult, BackendRunner } from '../core/backend-runner.js';
import { LstmError } from '../core/errors.js';
import type { PreparedInput } from '../core/prepared-input.js';
import type { BackendStream, StreamOutputs } from '../core/stream.js';
import { headOverResults } from '../cpu/head.js';
import { HostStream } from '../cpu/stream.js';
import type { LSTM } from '../model/lstm.js';
import type { WasmEngine } from './engine/engine.js';
import { ForwardPass } from './plan/forward.js';
import { PackedModel } from './plan/packed-model.js';
import { recurrenceSplit } from './plan/split.js';
import type { RunPlan } from '../core/run-plan.js';
import { hiddenOutputSize } from '../model/config.js';

const kNoDispatches = { backend: 'wasm', dispatches: 0, submits: 0, readbacks: 0 } as const;

/**
 * A model on the wasm engine: its weights packed once into the kernels' layouts in the engine's
 * memory, and each call one plan (src/wasm/plan/forward.ts) run on the engine's threads. The
 * dense head, a few hundred multiply-adds a row, runs on the host in float64 as on the reference.
 */
export class WasmRunner implements BackendRunner {
  readonly kind = 'wasm' as const;
  /** run() writes x into the engine's memory before anything awaits. */
  readonly readsInputAtOnce = true;
  readonly gpuBytes = 0;
  private readonly packed: PackedModel;
  private disposed = false;

  constructor(
    private readonly engine: WasmEngine,
    readonly model: LSTM,
  ) {
    this.packed = new PackedModel(engine, model);
  }

  async run(input: PreparedInput): Promise<BackendResult> {
    const { output, hN, cN, trace } = this.forward(input);
    const prediction = this.model.config.head ? headOverResults(this.model, { get output() { return Float64Array.from(output); }, hN: Float64Array.from(hN) }, input.steps, input.batch).prediction : null;
    return { output, hN, cN, trace, prediction, stats: kNoDispatches };
  }

  /** The LSTM's results of one call, float32, time-major. */
  forward(input: PreparedInput) {
    this.checkUsable('forward');
    const pass = new ForwardPass(this.engine, this.packed, input, input.trace ? 'trace' : 'none');
    try {
      pass.run();
      return { output: pass.output(), ...pass.states(), trace: input.trace ? pass.trace() : null };
    } finally {
      pass.release();
    }
  }

  /** How a call of `batch` sequences shares its recurrence between the engine's threads (src/wasm/plan/split.ts). */
  plan(batch: number, steps?: number): RunPlan {
    const { config } = this.model;
    const split = recurrenceSplit(this.engine.threads, batch, config.hiddenSize, hiddenOutputSize(config), config.projSize !== undefined, this.engine.canBlock, steps);
    const reason = {
      rows: `each of the ${this.engine.threads} threads runs its own sequences: no barrier between steps`,
      units: `the ${this.engine.threads} threads share each step's hidden units, a barrier after every step`,
      solo: this.engine.threads === 1 ? 'the engine has one thread' : this.engine.canBlock ? 'the call or its steps are too small to share: one thread runs it' : "the calling thread (a page's main thread) may not sleep, so a barrier per step would spin: one thread runs each step",
    }[split];
    return { backend: 'wasm', kind: split, kernel: `fused float32 SIMD recurrence (${this.engine.build} build)`, reason, choice: 'auto', device: `CPU, ${this.engine.threads} thread${this.engine.threads > 1 ? 's' : ''}`, costsSource: 'none', predictions: [] };
  }

  openStream(batch: number, outputs: StreamOutputs): BackendStream {
    this.checkUsable('stream');
    return new HostStream(this.model, batch, outputs, (input) => this.forward(input), 'wasm');
  }

  /** One call of zeros at the shape: the engine's working set for it is then a free-list hit. */
  async warmup(steps: number, batch: number): Promise<void> {
    const { inputSize } = this.model.config;
    this.forward({ steps, batch, x: new Float64Array(steps * batch * inputSize), h0: null, c0: null, lengths: null, trace: false });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.packed.dispose();
  }

  private checkUsable(what: string): void {
    if (this.disposed) throw new LstmError('DISPOSED', `${what}: this runner was disposed; load the model again`);
  }
}

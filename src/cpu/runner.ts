import type { BackendResult, BackendRunner } from '../core/backend-runner.js';
import { LstmError } from '../core/errors.js';
import type { PreparedInput } from '../core/prepared-input.js';
import type { LSTM } from '../model/lstm.js';
import { referenceForward } from './reference.js';
import { headOverResults } from './head.js';
import type { BackendStream, StreamOutputs } from '../core/stream.js';
import { HostStream } from './stream.js';

/** The CPU backend: the float64 reference, behind the same interface as the GPU runner. */
export class CpuRunner implements BackendRunner {
  readonly kind = 'cpu' as const;
  readonly gpuBytes = 0;
  /** run() is synchronous: x is read before anything awaits. */
  readonly readsInputAtOnce = true;
  private disposed = false;

  constructor(readonly model: LSTM) {}

  async run(input: PreparedInput): Promise<BackendResult> {
    return this.runSync(input);
  }

  /** The same computation without a promise, for callers that want the reference synchronously. */
  runSync(input: PreparedInput): BackendResult {
    if (this.disposed) throw new LstmError('DISPOSED', 'forward: this runner was disposed; load the model again');
    const result = referenceForward(this.model, input);
    const prediction = this.model.config.head ? headOverResults(this.model, result, input.steps, input.batch).prediction : null;
    return { ...result, prediction, stats: { backend: 'cpu', dispatches: 0, submits: 0, readbacks: 0 } };
  }

  openStream(batch: number, outputs: StreamOutputs): BackendStream {
    if (this.disposed) throw new LstmError('DISPOSED', 'stream: this runner was disposed; load the model again');
    return new HostStream(this.model, batch, outputs);
  }

  /** Nothing to prepare on the CPU. */
  async warmup(): Promise<void> {}

  dispose(): void {
    this.disposed = true;
  }
}


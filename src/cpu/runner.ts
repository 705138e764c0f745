import { LstmError } from '../api/errors.js';
import { prepareInput, type ForwardOptions } from '../api/forward-input.js';
import { finishResult, type ForwardResult } from '../api/result.js';
import type { LSTM } from '../model/lstm.js';
import { referenceForward } from './reference.js';

/** The CPU backend: the float64 reference, behind the same interface as the GPU runner. */
export class CpuRunner {
  readonly kind = 'cpu' as const;
  private disposed = false;

  constructor(readonly model: LSTM) {}

  readonly gpuBytes = 0;

  async forward(x: ArrayLike<number>, options: ForwardOptions): Promise<ForwardResult> {
    return this.forwardSync(x, options);
  }

  /** The same computation without a promise, for callers that want the reference synchronously. */
  forwardSync(x: ArrayLike<number>, options: ForwardOptions): ForwardResult {
    if (this.disposed) throw new LstmError('DISPOSED', 'forward: this runner was disposed; load the model again');
    const input = prepareInput(this.model.config, x, options);
    const result = referenceForward(this.model, input);
    return finishResult(this.model.config, input.steps, input.batch, result, {
      backend: 'cpu',
      dispatches: 0,
      submits: 0,
      readbacks: 0,
    });
  }

  dispose(): void {
    this.disposed = true;
  }
}

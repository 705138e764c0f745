import { LstmError } from '../core/errors.js';
import type { BackendStream, BackendStreamResult, StreamOutputs, StreamState } from '../core/stream.js';
import { hiddenOutputSize } from '../model/config.js';
import type { LSTM } from '../model/lstm.js';
import { referenceForward } from './reference.js';

/**
 * A stream on the float64 reference: each push is one reference forward call over the pushed steps
 * from the state the previous push left, so the results are those of one call over all the steps.
 */
export class CpuStream implements BackendStream {
  private h: Float64Array;
  private c: Float64Array;
  private disposed = false;

  constructor(
    private readonly model: LSTM,
    private readonly batch: number,
    private readonly outputs: StreamOutputs,
  ) {
    const { numLayers: L, hiddenSize: H } = model.config;
    this.h = new Float64Array(L * batch * hiddenOutputSize(model.config));
    this.c = new Float64Array(L * batch * H);
  }

  async push(x: Float64Array, steps: number): Promise<BackendStreamResult> {
    this.checkUsable('push');
    const B = this.batch;
    const result = referenceForward(this.model, { steps, batch: B, x, h0: this.h, c0: this.c, lengths: null, trace: false });
    this.h = result.hN;
    this.c = result.cN;
    const width = result.output.length / (steps * B);
    const output = this.outputs === 'all' ? result.output : result.output.slice((steps - 1) * B * width);
    return { output, stats: { backend: 'cpu', dispatches: 0, submits: 0, readbacks: 0 } };
  }

  async reset(slot: number, h: Float64Array | null, c: Float64Array | null): Promise<void> {
    this.checkUsable('reset');
    const L = this.model.config.numLayers;
    setSlot(this.h, L, this.batch, slot, h);
    setSlot(this.c, L, this.batch, slot, c);
  }

  async state(): Promise<StreamState> {
    this.checkUsable('state');
    return { h: this.h.slice(), c: this.c.slice() };
  }

  dispose(): void {
    this.disposed = true;
  }

  private checkUsable(what: string): void {
    if (this.disposed) throw new LstmError('DISPOSED', `stream.${what}: this stream was disposed; open a new one`);
  }
}

/** Writes one slot's rows of a [L, B, W] state from `rows` [L, W] (zeros when null). */
function setSlot(state: Float64Array, layers: number, batch: number, slot: number, rows: Float64Array | null): void {
  const width = state.length / (layers * batch);
  for (let l = 0; l < layers; l++) {
    for (let u = 0; u < width; u++) state[(l * batch + slot) * width + u] = rows ? rows[l * width + u] : 0;
  }
}

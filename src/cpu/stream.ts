import { LstmError } from '../core/errors.js';
import type { PreparedInput } from '../core/prepared-input.js';
import type { BackendKind, TimeMajorResult } from '../core/results.js';
import type { BackendStream, BackendStreamResult, StreamOutputs, StreamState } from '../core/stream.js';
import { hiddenOutputSize } from '../model/config.js';
import type { LSTM } from '../model/lstm.js';
import { referenceForward } from './reference.js';

/** A backend's forward call, synchronous: the float64 reference's, or the wasm engine's. */
export type StreamForward = (input: PreparedInput) => Pick<TimeMajorResult, 'output' | 'hN' | 'cN'>;

/**
 * A stream whose state lives in the host's memory between pushes: each push is one forward call
 * over the pushed steps from the state the previous push left, so the results are those of one
 * call over all the steps. The float64 reference's stream, and the wasm engine's (its state is a
 * few rows per slot; the call is the work).
 */
export class HostStream implements BackendStream {
  private h: Float64Array;
  private c: Float64Array;
  private disposed = false;

  constructor(
    private readonly model: LSTM,
    private readonly batch: number,
    private readonly outputs: StreamOutputs,
    private readonly forward: StreamForward = (input) => referenceForward(model, input),
    private readonly kind: BackendKind = 'cpu',
  ) {
    const { numLayers: L, hiddenSize: H } = model.config;
    this.h = new Float64Array(L * batch * hiddenOutputSize(model.config));
    this.c = new Float64Array(L * batch * H);
  }

  async push(x: Float64Array, steps: number): Promise<BackendStreamResult> {
    this.checkUsable('push');
    const B = this.batch;
    const result = this.forward({ steps, batch: B, x, h0: this.h, c0: this.c, lengths: null, trace: false });
    this.h = Float64Array.from(result.hN);
    this.c = Float64Array.from(result.cN);
    const width = result.output.length / (steps * B);
    const output = this.outputs === 'all' ? result.output : result.output.slice((steps - 1) * B * width);
    return { output, stats: { backend: this.kind, dispatches: 0, submits: 0, readbacks: 0 } };
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

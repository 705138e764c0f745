import type { PreparedInput } from '../../core/prepared-input.js';
import type { LstmForward, LstmPasses } from '../../cpu/training-pass.js';
import type { LSTM } from '../../model/lstm.js';
import type { WasmEngine } from '../engine/engine.js';
import { backwardPass } from '../plan/backward.js';
import { ForwardPass } from '../plan/forward.js';
import { PackedBackward } from '../plan/packed-backward.js';
import { PackedModel } from '../plan/packed-model.js';

/**
 * The LSTM's training passes on the wasm engine, float32: the forward recorded for BPTT
 * (src/wasm/plan/forward.ts) and the backward (src/wasm/plan/backward.ts). The weights are packed
 * once into the engine's memory and repacked after each optimizer step (parametersChanged) or for
 * another model, an O(P) copy beside the pass's O(T·B·P).
 */
export class WasmPasses implements LstmPasses {
  private forwardWeights: PackedModel | null = null;
  private backwardWeights: PackedBackward | null = null;
  /** The models the packed weights hold the parameters of (null: stale). */
  private forwardFrom: LSTM | null = null;
  private backwardFrom: LSTM | null = null;

  /** The parameters' gradient arrays, written again by every backward (LstmForward.backward allows it). */
  private readonly gradientArrays = new Map<string, Float64Array>();
  private readonly gradientArray = (name: string, length: number) => {
    let array = this.gradientArrays.get(name);
    if (array?.length !== length) this.gradientArrays.set(name, (array = new Float64Array(length)));
    return array;
  };

  constructor(private readonly engine: WasmEngine) {}

  forward(model: LSTM, input: PreparedInput, forBackward: boolean): LstmForward {
    const { forwardWeights, backwardWeights } = this.pack(model, forBackward);
    const pass = new ForwardPass(this.engine, forwardWeights, input, forBackward ? 'training' : 'none');
    try {
      pass.run();
      let output: Float64Array | null = null;
      let released = false;
      return {
        // A head over 'last' reads only h_n: the output [T, B, D·H] is converted only when read.
        get output() {
          if (!output && released) throw new RangeError('WasmPasses: the output of a released pass was read');
          return (output ??= Float64Array.from(pass.output()));
        },
        hN: Float64Array.from(pass.states().hN),
        backward: (dOutput, dhN, withDx) => backwardPass(this.engine, backwardWeights!, pass, input, dOutput, dhN, withDx, this.gradientArray),
        release: () => {
          released = true;
          pass.release();
        },
      };
    } catch (error) {
      pass.release();
      throw error;
    }
  }

  /** The trainer changed its model's parameters in place (an optimizer step): pack them again at the next pass. */
  parametersChanged(): void {
    this.forwardFrom = null;
    this.backwardFrom = null;
  }

  /** The model's weights in the engine, packed again where they were packed from another model or before a change. */
  private pack(model: LSTM, withBackward: boolean) {
    const source = (name: string) => model.param(name);
    if (!this.forwardWeights) this.forwardWeights = new PackedModel(this.engine, model);
    else if (this.forwardFrom !== model) this.forwardWeights.repack(source);
    this.forwardFrom = model;
    if (withBackward) {
      if (!this.backwardWeights) this.backwardWeights = new PackedBackward(this.engine, this.forwardWeights, source);
      else if (this.backwardFrom !== model) this.backwardWeights.repack(source);
      this.backwardFrom = model;
    }
    return { forwardWeights: this.forwardWeights, backwardWeights: this.backwardWeights };
  }

  release(): void {
    this.forwardWeights?.dispose();
    this.backwardWeights?.dispose();
    this.forwardWeights = null;
    this.backwardWeights = null;
    this.gradientArrays.clear();
    this.parametersChanged();
  }
}

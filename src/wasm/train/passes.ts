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
 * once into the engine's memory and repacked from each pass's model — a trainer's parameters
 * change every step — an O(P) copy beside the pass's O(T·B·P).
 */
export class WasmPasses implements LstmPasses {
  private forwardWeights: PackedModel | null = null;
  private backwardWeights: PackedBackward | null = null;
  private packedFrom: LSTM | null = null;

  constructor(private readonly engine: WasmEngine) {}

  forward(model: LSTM, input: PreparedInput, forBackward: boolean): LstmForward {
    const { forwardWeights, backwardWeights } = this.pack(model, forBackward);
    const pass = new ForwardPass(this.engine, forwardWeights, input, forBackward ? 'training' : 'none');
    try {
      pass.run();
      const states = pass.states();
      return {
        output: Float64Array.from(pass.output()),
        hN: Float64Array.from(states.hN),
        backward: (dOutput, dhN, withDx) => backwardPass(this.engine, backwardWeights!, pass, input, dOutput, dhN, withDx),
        release: () => pass.release(),
      };
    } catch (error) {
      pass.release();
      throw error;
    }
  }

  /** The model's weights in the engine, packed where this model's parameters are not already. */
  private pack(model: LSTM, withBackward: boolean) {
    const source = (name: string) => model.param(name);
    if (!this.forwardWeights) this.forwardWeights = new PackedModel(this.engine, model);
    else if (this.packedFrom !== model) this.forwardWeights.repack(source);
    if (withBackward) {
      if (!this.backwardWeights) this.backwardWeights = new PackedBackward(this.engine, this.forwardWeights);
      else if (this.packedFrom !== model) this.backwardWeights.repack(source);
    }
    this.packedFrom = model;
    return { forwardWeights: this.forwardWeights, backwardWeights: this.backwardWeights };
  }

  release(): void {
    this.forwardWeights?.dispose();
    this.backwardWeights?.dispose();
    this.forwardWeights = null;
    this.backwardWeights = null;
    this.packedFrom = null;
  }
}

import type { LSTM } from '../../model/lstm.js';
import { paramName } from '../../model/params.js';
import type { WasmEngine } from '../engine/engine.js';
import type { ParameterSource, PackedModel } from './packed-model.js';
import { columnPanelsLength, packColumnPanels } from './pack.js';

/** One layer-direction's weights as BPTT's products read them (byte addresses). */
export interface BackwardLayer {
  /** W_hh as column panels (pack.ts): the B operand of dz·W_hh = (W_hhᵀ dz)ᵀ, the recurrence's. */
  readonly weightHhColumns: number;
  /** W_ih as column panels: the B operand of dz·W_ih, the gradient of the layer's input. */
  readonly weightIhColumns: number;
}

/**
 * A trained model's weights in the backward pass's layouts, beside the forward's (PackedModel),
 * in execution order; `repack` after every optimizer step.
 */
export class PackedBackward {
  readonly layers: BackwardLayer[] = [];
  private readonly blocks: number[] = [];
  private disposed = false;

  constructor(
    private readonly engine: WasmEngine,
    private readonly forward: PackedModel,
    /** The parameters to pack: the forward's model's unless given (a trainer's, which change). */
    source: ParameterSource = (name) => forward.model.param(name),
  ) {
    const H = forward.model.config.hiddenSize;
    try {
      for (const packed of forward.layers) {
        const name = `layer ${packed.layer}${packed.direction ? ' (reverse)' : ''}`;
        this.layers.push({
          weightHhColumns: this.alloc(columnPanelsLength(H, H), `${name}'s weight_hh columns`),
          weightIhColumns: this.alloc(columnPanelsLength(H, packed.inputSize), `${name}'s weight_ih columns`),
        });
      }
      this.repack(source);
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  private alloc(floats: number, what: string): number {
    const at = this.engine.heap.alloc(floats * 4, what);
    this.blocks.push(at);
    return at;
  }

  repack(source: ParameterSource): void {
    const H = this.forward.model.config.hiddenSize;
    this.forward.layers.forEach((packed, k) => {
      const { layer, direction, inputSize } = packed;
      const own = this.layers[k];
      packColumnPanels(source(paramName('weight_hh', layer, direction)), H, H, this.engine.floats(own.weightHhColumns, columnPanelsLength(H, H)));
      packColumnPanels(source(paramName('weight_ih', layer, direction)), H, inputSize, this.engine.floats(own.weightIhColumns, columnPanelsLength(H, inputSize)));
    });
  }

  get model(): LSTM {
    return this.forward.model;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const at of this.blocks) this.engine.heap.release(at);
  }
}

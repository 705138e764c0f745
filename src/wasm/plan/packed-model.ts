import { directionCount, hiddenOutputSize, layerInputSize } from '../../model/config.js';
import type { LSTM } from '../../model/lstm.js';
import { forEachLayerDirection } from '../../model/layer-weights.js';
import { paramName } from '../../model/params.js';
import type { WasmEngine } from '../engine/engine.js';
import { kCellBlock, needsCellBlock, writeCellBlock } from './blocks.js';
import { gateColumns, packGateBias, packGatePanels, packProjection } from './pack.js';

/** One layer-direction's weights in the engine's memory (byte addresses; 0 for what the model lacks). */
export interface PackedLayer {
  readonly layer: number;
  readonly direction: number;
  /** I_l: this layer's input width. */
  readonly inputSize: number;
  /** W_ih in gate panels (pack.ts), b_ih gate-interleaved. */
  readonly weightIh: number;
  readonly biasIh: number;
  /** W_hh in gate panels over R rows, b_hh gate-interleaved. */
  readonly weightHh: number;
  readonly biasHh: number;
  /** The variant cell's block (blocks.ts), or 0 for PyTorch's cell. */
  readonly cell: number;
}

/** A source of parameters by PyTorch name: a model's, or a trainer's current ones. */
export type ParameterSource = (name: string) => ArrayLike<number>;

/**
 * A model's weights packed once into the kernels' layouts (pack.ts) in the engine's memory: what a
 * runner keeps between calls. `repack` writes new values into the same blocks (a training step).
 */
export class PackedModel {
  readonly layers: PackedLayer[] = [];
  private readonly blocks: number[] = [];
  private disposed = false;

  constructor(
    private readonly engine: WasmEngine,
    readonly model: LSTM,
  ) {
    const { config } = model;
    const H = config.hiddenSize;
    const R = hiddenOutputSize(config);
    const columns = gateColumns(H);
    const alloc = (floats: number, what: string) => {
      const at = engine.heap.alloc(floats * 4, what);
      this.blocks.push(at);
      return at;
    };
    try {
      forEachLayerDirection(model, (layer, direction) => {
        const inputSize = layerInputSize(config, layer);
        const name = `layer ${layer}${direction ? ' (reverse)' : ''}`;
        const peephole = config.peepholes ? alloc(3 * H, `${name}'s peepholes`) : 0;
        const projection = config.projSize !== undefined ? alloc(Math.ceil(R / 16) * 16 * H, `${name}'s projection`) : 0;
        let cell = 0;
        if (needsCellBlock(config)) cell = alloc(kCellBlock.bytes / 4, `${name}'s cell settings`);
        this.layers.push({
          layer,
          direction,
          inputSize,
          weightIh: alloc(columns * inputSize, `${name}'s weight_ih`),
          biasIh: config.bias ? alloc(columns, `${name}'s bias_ih`) : 0,
          weightHh: alloc(columns * R, `${name}'s weight_hh`),
          biasHh: config.bias ? alloc(columns, `${name}'s bias_hh`) : 0,
          cell,
        });
        if (cell) writeCellBlock(new DataView(engine.memory.buffer), cell, config, peephole, projection);
      });
      this.repack((name) => model.param(name));
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /** Packs every parameter from `source` into the blocks (float64 → float32). */
  repack(source: ParameterSource): void {
    const { config } = this.model;
    const H = config.hiddenSize;
    const R = hiddenOutputSize(config);
    const columns = gateColumns(H);
    for (const packed of this.layers) {
      const { layer, direction } = packed;
      const name = (kind: Parameters<typeof paramName>[0]) => paramName(kind, layer, direction);
      packGatePanels(source(name('weight_ih')), H, packed.inputSize, this.engine.floats(packed.weightIh, columns * packed.inputSize));
      packGatePanels(source(name('weight_hh')), H, R, this.engine.floats(packed.weightHh, columns * R));
      if (packed.biasIh) packGateBias(source(name('bias_ih')), H, this.engine.floats(packed.biasIh, columns));
      if (packed.biasHh) packGateBias(source(name('bias_hh')), H, this.engine.floats(packed.biasHh, columns));
      if (!packed.cell) continue;
      const view = new DataView(this.engine.memory.buffer);
      const peephole = view.getUint32(packed.cell + kCellBlock.peephole, true);
      if (peephole) this.engine.floats(peephole, 3 * H).set(source(name('weight_peephole')));
      const projection = view.getUint32(packed.cell + kCellBlock.projection, true);
      if (projection) packProjection(source(name('weight_hr')), R, H, this.engine.floats(projection, Math.ceil(R / 16) * 16 * H));
    }
  }

  /** L·D: the layer-directions, in execution order. */
  get count(): number {
    return this.model.config.numLayers * directionCount(this.model.config);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const at of this.blocks) this.engine.heap.release(at);
  }
}

import { forEachLayerDirection, layerWeights } from '../model/layer-weights.js';
import type { LSTM } from '../model/lstm.js';
import { BufferSet } from './memory.js';
import { packLayerWeights } from './pack.js';

/** One layer-direction's weights on the GPU, in the kernels' gate-interleaved layout. */
export interface LayerDirectionBuffers {
  readonly layer: number;
  readonly direction: number;
  readonly inputSize: number;
  readonly inputWeights: GPUBuffer;
  readonly recurrentWeights: GPUBuffer;
  readonly bias: GPUBuffer;
}

/** Converts and uploads every weight once, when the model is loaded. */
export function uploadModel(device: GPUDevice, model: LSTM): { set: BufferSet; layers: LayerDirectionBuffers[] } {
  const set = new BufferSet(device, 'weights');
  const layers: LayerDirectionBuffers[] = [];
  forEachLayerDirection(model, (layer, direction) => {
    const w = layerWeights(model, layer, direction);
    const packed = packLayerWeights(w);
    const name = `l${layer}d${direction}`;
    layers.push({
      layer,
      direction,
      inputSize: w.inputSize,
      inputWeights: set.upload(`${name} W_ih`, packed.inputWeights),
      recurrentWeights: set.upload(`${name} W_hh`, packed.recurrentWeights),
      bias: set.upload(`${name} bias`, packed.bias),
    });
  });
  return { set, layers };
}

import { layerWeights } from '../model/layer-weights.js';
import type { LSTM } from '../model/lstm.js';
import { weightBuffers } from './buffers.js';
import { toFloat16Bits } from './half.js';
import { BufferSet, type BufferSpec } from './memory.js';
import { packLayerWeights } from './pack.js';

/** One layer-direction's weights on the GPU, in the kernels' gate-interleaved layout. */
export interface LayerDirectionBuffers {
  readonly layer: number;
  readonly direction: number;
  readonly inputWeights: GPUBuffer;
  readonly recurrentWeights: GPUBuffer;
  readonly bias: GPUBuffer;
  /** [H] × vec4 (P_i, P_f, 0, P_o), with peepholes only (the peephole kernels bind it). */
  readonly peephole?: GPUBuffer;
}

/**
 * Converts and uploads every weight once, when the model is loaded, into the buffers weightBuffers
 * lists; with `halfWeights`, W_hh as f16 (half the bytes; RunnerOptions.weights 'float16').
 */
export function uploadModel(device: GPUDevice, model: LSTM, halfWeights = false): { set: BufferSet; layers: LayerDirectionBuffers[] } {
  const set = new BufferSet(device, 'weights');
  const layers = weightBuffers(model.config).map(({ layer, direction, ...specs }): LayerDirectionBuffers => {
    const packed = packLayerWeights(layerWeights(model, layer, direction));
    return {
      layer,
      direction,
      inputWeights: set.upload(specs.inputWeights, packed.inputWeights),
      recurrentWeights: halfWeights ? uploadHalf(set, specs.recurrentWeights, packed.recurrentWeights) : set.upload(specs.recurrentWeights, packed.recurrentWeights),
      bias: set.upload(specs.bias, packed.bias),
      ...(specs.peephole && packed.peephole ? { peephole: set.upload(specs.peephole, packed.peephole) } : {}),
    };
  });
  return { set, layers };
}

/** `data` as f16 into a buffer of half the spec's bytes (rows × H × vec4<f16>: a multiple of 8 bytes). */
function uploadHalf(set: BufferSet, spec: BufferSpec, data: Float32Array<ArrayBuffer>): GPUBuffer {
  const half = toFloat16Bits(data);
  return set.upload({ ...spec, bytes: half.byteLength }, new Uint32Array(half.buffer));
}

import { loadModelFile as loadWith, readLstmFile as readWith, type LoadedModel, type LoadOptions, type ModelFiles, type OnnxReader } from '../formats/load.js';
import type { LSTM } from '../model/lstm.js';
import { modelFromOnnx } from './onnx-graph/reduce.js';

/** ONNX files through the graph compiler: constant folding first, then the stack reader (modelFromOnnx). */
const readOnnx: OnnxReader = (bytes, budget) => modelFromOnnx(bytes, budget).model;

/**
 * Reads a model file of any supported format (docs/formats.md), ONNX files through
 * modelFromOnnx: a graph that is exactly an LSTM stack with a dense head, once its constant
 * subgraphs are folded, becomes our model; any other graph is INVALID_ARGUMENT saying why.
 *
 * @example
 * const loaded = await loadModelFile({ path: 'm.onnx', bytes, readSibling: () => new Uint8Array() });
 */
export function loadModelFile(files: ModelFiles, options: LoadOptions = {}): Promise<LoadedModel> {
  return loadWith(files, { readOnnx, ...options });
}

/** An ONNX or safetensors file as our LSTM (what run, verify, grad and train take); null for any other format. */
export function readLstmFile(files: ModelFiles, options: LoadOptions = {}): LSTM | null {
  return readWith(files, { readOnnx, ...options });
}

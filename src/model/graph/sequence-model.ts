import { describeValue, formatShape } from '../../core/describe.js';
import { invalidArgument, invalidShape } from '../../core/errors.js';
import { directionCount } from '../config.js';
import type { GraphLayer } from './layers.js';

/**
 * What the model reads, per sequence (the batch axis left out): [T, I] features, or [T] integer
 * token ids in front of an Embedding. T is null where the file leaves it open.
 */
export interface SequenceInput {
  /** The input layer's name in the file. */
  readonly name: string;
  readonly shape: readonly (number | null)[];
  /** Whether x holds integer token ids (the first layer is an Embedding). */
  readonly tokenIds: boolean;
}

/** Where a model came from, so that what depends on the file's vintage (hard_sigmoid) is explained. */
export interface ModelSource {
  /** 'keras-h5', 'keras-zip', 'keras-json', 'tfjs', 'lstm' (our own JSON), ... */
  readonly format: string;
  /** The file's keras_version ("2.2.4", "3.8.0", "tfjs-layers 4.22.0"), when it says. */
  readonly kerasVersion?: string;
  /** The model's name in the file. */
  readonly modelName?: string;
  /** 'functional' for Keras's functional API (written back as such), else 'sequential'. */
  readonly modelClass?: 'sequential' | 'functional';
}

export type FeatureShape = readonly (number | null)[];

/** A layer's name and kind as messages quote it: layer "dense_1" (dense). */
export function layerLabel(layer: GraphLayer): string {
  return `layer ${JSON.stringify(layer.name)} (${layer.kind})`;
}

function lastAxis(layer: GraphLayer, shape: FeatureShape, width: number | null): number {
  const last = shape[shape.length - 1];
  if (shape.length === 0 || last === null || (width !== null && last !== width)) {
    throw invalidShape(`${layerLabel(layer)}: expected input features of width ${width ?? 'known'}, got shape ${formatShape(shape.map((d) => d ?? -1))} (−1: open)`);
  }
  return last;
}

function requireRank(layer: GraphLayer, shape: FeatureShape, rank: number, what: string): void {
  if (shape.length !== rank) throw invalidShape(`${layerLabel(layer)}: expected ${what} (rank ${rank} per sample), got rank ${shape.length}`);
}

/**
 * The shape one layer gives for `shape` (batch axis left out), checking that the layer accepts it
 * and that its weights fit. Throws INVALID_SHAPE naming the layer.
 */
export function layerOutputShape(layer: GraphLayer, shape: FeatureShape): FeatureShape {
  switch (layer.kind) {
    case 'embedding':
      requireRank(layer, shape, 1, 'token ids [T]');
      return [...shape, layer.embeddings.shape[1]];
    case 'masking':
    case 'activation':
    case 'identity':
      return shape;
    case 'dense': {
      lastAxis(layer, shape, layer.kernel.shape[0]);
      return [...shape.slice(0, -1), layer.kernel.shape[1]];
    }
    case 'batchNorm':
    case 'layerNorm': {
      const width = lastAxis(layer, shape, null);
      for (const [part, t] of [['gamma', layer.gamma], ['beta', layer.beta], ['moving_mean', layer.movingMean], ['moving_variance', layer.movingVariance]] as const) {
        if (t && (t.shape.length !== 1 || t.shape[0] !== width)) throw invalidShape(`${layerLabel(layer)}: ${part} has shape ${formatShape(t.shape)}, expected [${width}]`);
      }
      return shape;
    }
    case 'repeatVector':
      requireRank(layer, shape, 1, 'a vector [F]');
      return [layer.n, ...shape];
    case 'flatten':
      if (shape.some((d) => d === null)) throw invalidShape(`${layerLabel(layer)}: cannot flatten a shape with an open axis (the number of steps must be fixed)`);
      return [(shape as number[]).reduce((a, b) => a * b, 1)];
    case 'lstm': {
      requireRank(layer, shape, 2, 'a sequence [T, I]');
      lastAxis(layer, shape, layer.lstm.config.inputSize);
      const H = layer.lstm.config.hiddenSize;
      const width = layer.mergeMode === null || layer.mergeMode === 'concat' ? H * directionCount(layer.lstm.config) : H;
      return layer.returnSequences ? [shape[0], width] : [width];
    }
  }
}

/**
 * A Keras-style model as a pipeline: an input, then layers applied in order (a Sequential model, or
 * a functional model whose layers form one chain). LSTM layers are our LSTM models and run on the
 * chosen backend; the layers between them run on the host in float64 (loadGraph, referenceGraph; docs/architecture.md).
 *
 * @example
 * const model = await loadKerasModel(bytes);   // or tfjs, ONNX…: docs/formats.md
 * model.layers.map((l) => l.kind);             // ['lstm', 'dense', 'activation']
 * model.outputShape;                           // [57]: prediction is [B, 57]
 */
export class SequenceModel {
  readonly input: SequenceInput;
  readonly layers: readonly GraphLayer[];
  readonly source: ModelSource;
  /** The shape after each layer (batch axis left out). */
  readonly shapes: readonly FeatureShape[];

  constructor(input: SequenceInput, layers: readonly GraphLayer[], source: ModelSource) {
    if (!Array.isArray(layers) || layers.length === 0) throw invalidArgument(`layers: expected at least one layer, got ${describeValue(layers)}`);
    const names = new Set<string>();
    for (const layer of layers) {
      if (names.has(layer.name)) throw invalidArgument(`layers: two layers are named ${JSON.stringify(layer.name)}`);
      names.add(layer.name);
    }
    if (input.tokenIds !== (layers[0].kind === 'embedding')) {
      throw invalidArgument(`input: token ids go with an Embedding as the first layer (first layer: ${layerLabel(layers[0])}, tokenIds: ${input.tokenIds})`);
    }
    const shapes: FeatureShape[] = [];
    let shape: FeatureShape = input.shape;
    for (const layer of layers) shapes.push((shape = layerOutputShape(layer, shape)));
    this.input = Object.freeze({ ...input, shape: Object.freeze([...input.shape]) });
    this.layers = Object.freeze([...layers]);
    this.source = Object.freeze({ ...source });
    this.shapes = Object.freeze(shapes);
  }

  /** The prediction's shape per sample (batch axis left out). */
  get outputShape(): FeatureShape {
    return this.shapes[this.shapes.length - 1];
  }

  /** The model's LSTM layers, in order. */
  get lstmLayers(): Extract<GraphLayer, { kind: 'lstm' }>[] {
    return this.layers.filter((l): l is Extract<GraphLayer, { kind: 'lstm' }> => l.kind === 'lstm');
  }
}

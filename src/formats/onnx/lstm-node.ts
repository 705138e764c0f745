import { describeValue, formatShape } from '../../core/describe.js';
import { invalidArgument, invalidShape } from '../../core/errors.js';
import type { LstmActivations } from '../../model/variants.js';
import { permuteGateBlocks } from '../gate-order.js';
import { nodeAttributes } from './attributes.js';
import { readActivations } from './attributes.js';
import type { NodeProto } from './proto.js';
import type { OnnxTensor } from './tensors.js';

/** The attributes of an ONNX LSTM node (operator spec, LSTM-1 and opset 7–22), with ONNX's defaults. */
export interface LstmNodeAttributes {
  readonly direction: 'forward' | 'reverse' | 'bidirectional';
  readonly hiddenSize: number;
  readonly layout: 0 | 1;
  readonly activations: LstmActivations | undefined;
  /** Absent: no clip. */
  readonly clip: number | undefined;
  readonly inputForget: boolean;
}

const kKnown = ['direction', 'hidden_size', 'layout', 'activations', 'activation_alpha', 'activation_beta', 'clip', 'input_forget'];
/**
 * LSTM-1 (opsets 1 to 6) also has output_sequence: 0 (its default) lets a graph leave the optional
 * output Y unnamed, 1 asks for it. Y is computed whenever a graph names it, as for LSTM-7, so the
 * attribute changes nothing here; it is accepted, checked, below opset 7 only (LSTM-7 dropped it).
 */
const kKnownLstm1 = [...kKnown, 'output_sequence'];

/** The node's attributes, checked; `opset` (the file's ai.onnx opset; the current LSTM's when absent) picks the LSTM version. */
export function lstmAttributes(where: string, node: NodeProto, opset = Infinity): LstmNodeAttributes {
  const a = nodeAttributes(where, node, opset < 7 ? kKnownLstm1 : kKnown);
  const outputSequence = a.get('output_sequence') ?? 0;
  if (outputSequence !== 0 && outputSequence !== 1) throw invalidArgument(`${where}.output_sequence: expected 0 or 1, got ${JSON.stringify(outputSequence)}`);
  const direction = (a.get('direction') ?? 'forward') as string;
  if (direction !== 'forward' && direction !== 'reverse' && direction !== 'bidirectional') {
    throw invalidArgument(`${where}.direction: expected forward, reverse or bidirectional, got ${JSON.stringify(direction)}`);
  }
  const hiddenSize = a.get('hidden_size');
  if (typeof hiddenSize !== 'number' || hiddenSize < 1) throw invalidArgument(`${where}.hidden_size: expected a positive integer, got ${JSON.stringify(hiddenSize)}`);
  const layout = a.get('layout') ?? 0;
  if (layout !== 0 && layout !== 1) throw invalidArgument(`${where}.layout: expected 0 or 1, got ${JSON.stringify(layout)}`);
  const clip = a.get('clip') as number | undefined;
  if (clip !== undefined && !(clip > 0 && Number.isFinite(clip))) throw invalidArgument(`${where}.clip: expected a positive finite number, got ${clip}`);
  const inputForget = a.get('input_forget') ?? 0;
  if (inputForget !== 0 && inputForget !== 1) throw invalidArgument(`${where}.input_forget: expected 0 or 1, got ${JSON.stringify(inputForget)}`);
  const directions = direction === 'bidirectional' ? 2 : 1;
  // A hostile file may give these any attribute type: each must be the list it names.
  const list = <T extends 'string' | 'number'>(name: string, type: T) => {
    const v = a.get(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== type)) throw invalidArgument(`${where}.${name}: expected a list of ${type}s, got ${describeValue(v)}`);
    return v as (T extends 'string' ? string : number)[];
  };
  const activations = readActivations(where, list('activations', 'string'), list('activation_alpha', 'number'), list('activation_beta', 'number'), directions);
  return { direction, hiddenSize, layout, activations, clip, inputForget: inputForget === 1 };
}

/** One direction's parameters in this library's names and PyTorch's gate order (i, f, g, o). */
export interface DirectionParams {
  readonly weightIh: Float64Array;
  readonly weightHh: Float64Array;
  /** ONNX's Wb and Rb, or null when the node has no B. */
  readonly biasIh: Float64Array | null;
  readonly biasHh: Float64Array | null;
  /** P (i, o, f), or null when the node has none. */
  readonly peephole: Float64Array | null;
}

function expectDims(what: string, tensor: OnnxTensor, dims: number[]): void {
  if (tensor.dims.length !== dims.length || tensor.dims.some((d, k) => d !== dims[k])) {
    throw invalidShape(`${what}: expected dims ${formatShape(dims)}, got ${formatShape(tensor.dims)}`);
  }
}

/**
 * W [D, 4H, I], R [D, 4H, H], B [D, 8H] and P [D, 3H] of one node, split by direction and brought
 * from ONNX's gate order (i, o, f, c) to PyTorch's (i, f, g, o); P keeps ONNX's i, o, f.
 */
export function directionParams(where: string, D: number, H: number, I: number, w: OnnxTensor, r: OnnxTensor, b: OnnxTensor | null, p: OnnxTensor | null): DirectionParams[] {
  expectDims(`${where} W`, w, [D, 4 * H, I]);
  expectDims(`${where} R`, r, [D, 4 * H, H]);
  if (b) expectDims(`${where} B`, b, [D, 8 * H]);
  if (p) expectDims(`${where} P`, p, [D, 3 * H]);
  return Array.from({ length: D }, (_, d) => {
    const block = (t: OnnxTensor, size: number, offset = 0) => t.data.slice(d * t.data.length / D + offset, d * t.data.length / D + offset + size);
    return {
      weightIh: permuteGateBlocks(block(w, 4 * H * I), 'onnx', 'pytorch'),
      weightHh: permuteGateBlocks(block(r, 4 * H * H), 'onnx', 'pytorch'),
      biasIh: b ? permuteGateBlocks(block(b, 4 * H), 'onnx', 'pytorch') : null,
      biasHh: b ? permuteGateBlocks(block(b, 4 * H, 4 * H), 'onnx', 'pytorch') : null,
      peephole: p ? block(p, 3 * H) : null,
    };
  });
}

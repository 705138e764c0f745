import { formatShape } from '../../core/describe.js';
import { invalidArgument, invalidShape } from '../../core/errors.js';
import type { Activation } from '../../model/head.js';
import type { WalkState } from './lstm-walk.js';
import type { NodeContext } from './node-context.js';
import type { HeadLayer, Value } from './values.js';

type Head = Extract<Value, { kind: 'head' }>;

/** What a dense head may read: an LSTM output over every step ([T, B, F] / [B, T, F]) or the top layer's final h. */
function headInput(value: Value | null, state: WalkState): Head | null {
  if (value?.kind === 'head') return value;
  if (value?.kind === 'sequence' && (value.form === 'TBF' || value.form === 'BTF')) {
    return { kind: 'head', over: 'sequence', form: value.form, layer: value.layer, layers: [], open: false };
  }
  if (value?.kind === 'stateRow' && value.which === 'h' && state.directions() === 1 && value.layer === state.topLayer()) return state.lastFeatures() as Head;
  return null;
}

function widthOf(head: Head, state: WalkState): number {
  return head.layers.length > 0 ? head.layers[head.layers.length - 1].outFeatures : state.directions() * state.outputWidth();
}

/** W [in, out] (MatMul's, or Gemm's without transB) as nn.Linear's [out, in]. */
function transposed(data: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

function addLayer(ctx: NodeContext, head: Head, state: WalkState, weight: Float64Array, dims: number[], bias: Float64Array | null, open: boolean): Head {
  const inFeatures = widthOf(head, state);
  const [outFeatures] = dims;
  if (dims.length !== 2 || dims[1] !== inFeatures) throw invalidShape(`${ctx.where}: expected a weight of ${inFeatures} input features, got ${formatShape(dims)} (as [out, in])`);
  const layer: HeadLayer = { outFeatures, activation: 'linear', weight, bias: bias ?? new Float64Array(outFeatures), inFeatures };
  return { ...head, layers: [...head.layers, layer], open };
}

const kActivations: Record<string, Activation> = { Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Softmax: 'softmax', LogSoftmax: 'log_softmax' };

/** MatMul (+ Add), Gemm and the activations after them: the dense head's layers (nn.Linear's layout). */
export function readHeadNode(ctx: NodeContext, state: WalkState): Value | undefined {
  const { node, inputs, where } = ctx;
  switch (node.opType) {
    case 'MatMul': {
      const head = headInput(inputs[0], state);
      const w = inputs[1];
      if (!head || w?.kind !== 'const' || w.tensor.dims.length !== 2) return undefined;
      const [rows, cols] = w.tensor.dims;
      return addLayer(ctx, head, state, transposed(w.tensor.data, rows, cols), [cols, rows], null, true);
    }
    case 'Add': {
      const headAt = inputs.findIndex((v) => v?.kind === 'head');
      const bias = inputs[1 - headAt];
      if (headAt < 0 || bias?.kind !== 'const') return undefined;
      const head = inputs[headAt] as Head;
      const last = head.layers[head.layers.length - 1];
      if (!head.open || !last || bias.tensor.data.length !== last.outFeatures || bias.tensor.dims.length !== 1) {
        throw invalidArgument(`${where}: an Add on the head must add a bias of ${last?.outFeatures ?? '?'} values right after a MatMul, got dims ${formatShape(bias.tensor.dims)}`);
      }
      const layers = [...head.layers.slice(0, -1), { ...last, bias: Float64Array.from(last.bias, (b, k) => b + bias.tensor.data[k]) }];
      return { ...head, layers, open: false };
    }
    case 'Gemm': {
      const a = ctx.attributes(['alpha', 'beta', 'transA', 'transB']);
      const head = headInput(inputs[0], state);
      const [w, c] = [inputs[1], inputs[2]];
      if (!head || w?.kind !== 'const' || (c && c.kind !== 'const')) return undefined;
      if (head.over !== 'last' || (a.get('transA') ?? 0) !== 0) throw invalidArgument(`${where}: Gemm on the head must read [B, F] features without transA`);
      const alpha = (a.get('alpha') as number | undefined) ?? 1;
      const beta = (a.get('beta') as number | undefined) ?? 1;
      const [rows, cols] = w.tensor.dims;
      const weight = (a.get('transB') ?? 0) === 1 ? w.tensor.data.slice() : transposed(w.tensor.data, rows, cols);
      const dims = (a.get('transB') ?? 0) === 1 ? [rows, cols] : [cols, rows];
      const bias = c?.kind === 'const' ? c.tensor.data.map((v) => beta * v) : null;
      if (bias && bias.length !== dims[0] && bias.length !== 1) throw invalidShape(`${where}: C has ${bias.length} values for ${dims[0]} outputs`);
      const fullBias = bias && bias.length === 1 ? new Float64Array(dims[0]).fill(bias[0]) : bias;
      return addLayer(ctx, head, state, weight.map((v) => alpha * v), dims, fullBias, false);
    }
    default: {
      const activation = kActivations[node.opType ?? ''];
      const head = inputs[0]?.kind === 'head' ? (inputs[0] as Head) : null;
      if (!activation || !head) return undefined;
      const overRow = activation === 'softmax' || activation === 'log_softmax';
      const a = ctx.attributes(overRow ? ['axis'] : []);
      const axis = a.get('axis') as number | undefined;
      if (overRow && !(axis === -1 || axis === (head.over === 'last' ? 1 : 2) || (axis === undefined && head.over === 'last'))) {
        throw invalidArgument(`${where}: ${node.opType} must run over the features (the last axis), got axis ${axis}`);
      }
      const last = head.layers[head.layers.length - 1];
      if (!last || last.activation !== 'linear') throw invalidArgument(`${where}: ${node.opType} must follow a dense layer (MatMul + Add or Gemm) that has no activation yet`);
      return { ...head, layers: [...head.layers.slice(0, -1), { ...last, activation }], open: false };
    }
  }
}

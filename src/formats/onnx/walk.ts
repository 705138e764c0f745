import { invalidArgument } from '../../core/errors.js';
import { readHeadNode } from './head-nodes.js';
import { readLstmNode, type WalkState } from './lstm-walk.js';
import type { NodeContext } from './node-context.js';
import { readTensor } from './tensors.js';
import { describeValueKind, type Value } from './values.js';

export type { WalkState };
export { nodeContext } from './node-context.js';

const kOnnxInt32 = 6;
const kOnnxInt64 = 7;

/** Ops that only move or name data, and what each does to the value it carries. */
function shapeNode(ctx: NodeContext, state: WalkState): Value | undefined {
  const { node, inputs } = ctx;
  const [input] = inputs;
  switch (node.opType) {
    case 'Identity':
    case 'Dropout': // identity at inference (its mask output, if used, is opaque)
      ctx.attributes(['ratio', 'seed', 'training_mode', 'is_test']);
      return input ?? undefined;
    case 'Constant': {
      const a = ctx.attributes(['value', 'value_float', 'value_floats', 'value_int', 'value_ints']);
      const [[key, v]] = [...a.entries()];
      if (key === 'value') return { kind: 'const', tensor: readTensor(`${ctx.where}.value`, v as never, state.budget) };
      const values = (Array.isArray(v) ? v : [v]) as number[];
      return { kind: 'const', tensor: { dims: Array.isArray(v) ? [values.length] : [], data: Float64Array.from(values) } };
    }
    case 'Cast': {
      // PyTorch casts its lengths input to int32 for sequence_lens: integers stay the same integers
      // (a length that is not an integer is refused at run time, never truncated).
      const to = ctx.attributes(['to', 'saturate']).get('to');
      return input?.kind === 'input' && (to === kOnnxInt32 || to === kOnnxInt64) ? input : undefined;
    }
    case 'ConstantOfShape': {
      const a = ctx.attributes(['value']);
      const v = a.get('value');
      const zero = v === undefined || readTensor(`${ctx.where}.value`, v as never, state.budget).data.every((x) => x === 0);
      return zero ? { kind: 'zeros' } : undefined;
    }
    case 'Expand':
      return input?.kind === 'const' && input.tensor.data.every((x) => x === 0) ? { kind: 'zeros' } : input?.kind === 'zeros' ? input : undefined;
    case 'Transpose': {
      const perm = (ctx.attributes(['perm']).get('perm') as number[] | undefined)?.join(',');
      if (input?.kind === 'input' && perm === '1,0,2') return { ...input, swapped: !input.swapped };
      if (input?.kind === 'sequence') {
        if (input.form === 'TDBH' && perm === '0,2,1,3') return { ...input, form: 'TBDH' };
        if (input.form === 'TBF' && perm === '1,0,2') return { ...input, form: 'BTF' };
        if (input.form === 'BTF' && perm === '1,0,2') return { ...input, form: 'TBF' };
      }
      if (input?.kind === 'head' && input.over === 'sequence' && perm === '1,0,2') return { ...input, form: input.form === 'TBF' ? 'BTF' : 'TBF', open: false };
      if (input?.kind === 'state' && !input.batchMajor && perm === '1,0,2' && input.first === input.last && input.first === state.topLayer()) return { kind: 'lastPair' };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Squeeze, Reshape, Slice, Gather, Concat on the sequences and states an LSTM stack passes along. */
function reshapingNode(ctx: NodeContext, state: WalkState): Value | undefined {
  const { node, inputs } = ctx;
  const [input] = inputs;
  const D = state.directions();
  switch (node.opType) {
    case 'Squeeze': {
      const axes = ctx.attributes(['axes']).get('axes') as number[] | undefined ?? (inputs[1] ? ctx.constInts(1, 'axes') : []);
      const axis = axes.length === 1 ? axes[0] : NaN;
      if (input?.kind === 'sequence' && D === 1 && input.form === 'TDBH' && axis === 1) return { ...input, form: 'TBF' };
      if (input?.kind === 'sequence' && D === 1 && input.form === 'BTDH' && axis === 2) return { ...input, form: 'BTF' };
      if (input?.kind === 'state' && D === 1 && input.first === input.last && (axis === 0 || axis === -3) && !input.batchMajor) {
        return { kind: 'stateRow', which: input.which, layer: input.first, direction: 0 };
      }
      return undefined;
    }
    case 'Reshape': {
      ctx.attributes(['allowzero']);
      const shape = ctx.constInts(1, 'shape');
      const mergesLast = shape[shape.length - 1] === -1 || shape[shape.length - 1] === D * state.outputWidth();
      if (input?.kind === 'sequence' && shape.length === 3 && mergesLast && (input.form === 'TBDH' || input.form === 'BTDH')) {
        return { ...input, form: input.form === 'TBDH' ? 'TBF' : 'BTF' };
      }
      if (input?.kind === 'sequence' && D === 1 && shape.length === 3 && mergesLast && input.form === 'TDBH') return { ...input, form: 'TBF' };
      if (input?.kind === 'lastPair' && shape.length === 2 && mergesLast) return state.lastFeatures();
      return undefined;
    }
    case 'Slice':
      return sliceNode(ctx, state);
    case 'Gather': {
      const axis = (ctx.attributes(['axis']).get('axis') as number | undefined) ?? 0;
      const indices = ctx.constInts(1, 'indices');
      if (indices.length !== 1 || (inputs[1]?.kind === 'const' && inputs[1].tensor.dims.length !== 0)) return undefined;
      const index = indices[0];
      if (input?.kind === 'state' && axis === 0 && !input.batchMajor) {
        const rows = (input.last - input.first + 1) * D;
        const row = index < 0 ? rows + index : index;
        if (row < 0 || row >= rows) throw invalidArgument(`${ctx.where}: index ${index} is outside the ${rows} rows of ${describeValueKind(input)}`);
        return { kind: 'stateRow', which: input.which, layer: input.first + Math.floor(row / D), direction: row % D };
      }
      // out[-1] over time is h_n only for one direction (the reverse half at the last step is one step in),
      // and only without sequence_lens: ONNX's Y is zero past a sequence's length, so its last step is not h_n.
      const lastStep = index === -1 && D === 1 && input?.kind === 'sequence' && !input.flipped && input.layer === state.topLayer();
      if (lastStep && state.layers.some((l) => l.lengths)) throw invalidArgument(`${ctx.where}: the last time step of an LSTM output with sequence_lens is zero for every shorter sequence, not its final h; this model's head reads the final h (h_n), so the graph runs for inference only`);
      if (lastStep && ((input.form === 'TBF' && axis === 0) || (input.form === 'BTF' && axis === 1))) return state.lastFeatures();
      const overTime = input?.kind === 'sequence' && ((input.form === 'TBF' && axis === 0) || (input.form === 'BTF' && axis === 1));
      if (overTime && index === -1 && D === 2 && input.layer === state.topLayer()) {
        throw invalidArgument(`${ctx.where}: the last time step of a bidirectional LSTM output holds the reverse direction's state after one step, not its final h; this model's head reads the final h (h_n) of both directions, so the graph runs for inference only`);
      }
      return undefined;
    }
    case 'Concat': {
      const axis = ctx.attributes(['axis']).get('axis') as number;
      if (inputs.every((v) => v?.kind === 'state') && axis === 0) {
        const states = inputs as Extract<Value, { kind: 'state' }>[];
        const consecutive = states.every((s, k) => s.which === states[0].which && !s.batchMajor && (k === 0 || s.first === states[k - 1].last + 1));
        if (consecutive) return { kind: 'state', which: states[0].which, first: states[0].first, last: states[states.length - 1].last, batchMajor: false };
      }
      const rows = inputs.map((v) => (v?.kind === 'stateRow' && v.which === 'h' ? `${v.layer}:${v.direction}` : ''));
      if ((axis === 1 || axis === -1) && D === 2 && rows.join(',') === `${state.topLayer()}:0,${state.topLayer()}:1`) return state.lastFeatures();
      return undefined;
    }
    default:
      return undefined;
  }
}

function sliceNode(ctx: NodeContext, state: WalkState): Value | undefined {
  const { inputs } = ctx;
  const [input] = inputs;
  const a = ctx.attributes(['starts', 'ends', 'axes']);
  const starts = (a.get('starts') as number[] | undefined) ?? ctx.constInts(1, 'starts');
  const ends = (a.get('ends') as number[] | undefined) ?? ctx.constInts(2, 'ends');
  const axes = (a.get('axes') as number[] | undefined) ?? (inputs[3] ? ctx.constInts(3, 'axes') : starts.map((_, k) => k));
  const steps = inputs[4] ? ctx.constInts(4, 'steps') : starts.map(() => 1);
  if (starts.length !== 1 || ends.length !== 1 || axes.length !== 1 || steps.length !== 1) return undefined;
  if (input?.kind === 'input' && !input.swapped && axes[0] === 0 && steps[0] === 1 && starts[0] >= 0 && ends[0] > starts[0]) {
    return { kind: 'inputRows', name: input.name, start: starts[0], end: ends[0] };
  }
  // A whole time axis read backwards (steps −1 from the last step): Keras's go_backwards order.
  const timeAxis = input?.kind === 'sequence' ? { TBF: 0, BTF: 1, TDBH: 0, BTDH: 1, TBDH: 0 }[input.form] : -1;
  if (input?.kind === 'sequence' && axes[0] === timeAxis && steps[0] === -1 && starts[0] === -1 && ends[0] <= -(2 ** 31)) {
    return { ...input, flipped: !input.flipped };
  }
  void state;
  return undefined;
}

/**
 * Ops that only move, repeat or convert the elements of their first input (the others are shapes,
 * axes, indices): of a zero tensor they make a zero tensor. Exporters build zero initial states
 * this way (tf2onnx: Expand, then Unsqueeze, and a Concat of two per bidirectional layer; PyTorch:
 * one Expand of the whole [L·D, B, H], Sliced per layer).
 */
const kZeroPreserving = new Set(['Identity', 'Cast', 'Unsqueeze', 'Squeeze', 'Reshape', 'Flatten', 'Transpose', 'Slice', 'Gather', 'Expand', 'Tile', 'Split']);

/** Whether a node's outputs are zeros because its data inputs are (Concat: all of them). */
function keepsZeros(ctx: NodeContext): boolean {
  const op = ctx.node.opType ?? '';
  if (op === 'Concat') return ctx.inputs.length > 0 && ctx.inputs.every((v) => v?.kind === 'zeros');
  return kZeroPreserving.has(op) && ctx.inputs[0]?.kind === 'zeros';
}

/** The value a node gives each output (its first output unless the op has several, like LSTM). */
export function readNode(ctx: NodeContext, state: WalkState): (Value | undefined)[] {
  if (ctx.node.opType === 'LSTM') return readLstmNode(ctx, state);
  if (keepsZeros(ctx)) return (ctx.node.output ?? []).map(() => ({ kind: 'zeros' }));
  // Nodes that touch no part of the model (shape arithmetic, say) stay opaque without being read.
  const carriesModel = ctx.inputs.some((v) => v !== null && v.kind !== 'const' && v.kind !== 'opaque' && v.kind !== 'zeros');
  if (!carriesModel && !['Constant', 'ConstantOfShape', 'Expand', 'Identity'].includes(ctx.node.opType ?? '')) return [undefined];
  const value = shapeNode(ctx, state) ?? reshapingNode(ctx, state) ?? readHeadNode(ctx, state);
  return [value];
}

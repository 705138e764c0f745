import { invalidArgument } from '../../core/errors.js';
import { describeValueKind, type Value } from './values.js';
import { directionParams, lstmAttributes, type DirectionParams, type LstmNodeAttributes } from './lstm-node.js';
import type { NodeContext } from './node-context.js';
import type { ReadBudget } from './tensors.js';

/** Where a layer's initial h or c comes from: zeros, or rows of a graph input. */
export type InitialState = { readonly kind: 'zeros' } | { readonly kind: 'input'; readonly name: string; readonly batchMajor: boolean };

/** One LSTM node of the stack, read. */
export interface LayerRecord {
  readonly where: string;
  readonly attrs: LstmNodeAttributes;
  readonly inputSize: number;
  readonly params: DirectionParams[];
  readonly lengths: string | null;
  readonly initialH: InitialState;
  readonly initialC: InitialState;
}

export type InputRole = 'x' | 'h0' | 'c0' | 'lengths';

/** What the walk has found so far: the LSTM layers in order, the graph inputs' roles, the layout. */
export class WalkState {
  readonly layers: LayerRecord[] = [];
  readonly roles = new Map<string, InputRole>();
  batchFirst: boolean | undefined;

  /** `opset`: the file's ai.onnx opset (LSTM-1's attributes differ from LSTM-7's). */
  constructor(
    readonly budget: ReadBudget,
    readonly opset = Infinity,
  ) {}

  topLayer(): number {
    return this.layers.length - 1;
  }

  directions(): number {
    return this.layers[0]?.attrs.direction === 'bidirectional' ? 2 : 1;
  }

  outputWidth(): number {
    return this.layers[0]?.attrs.hiddenSize ?? 0;
  }

  /** The head's input over the last step: the top layer's final h, [B, D·H]. */
  lastFeatures(): Value {
    return { kind: 'head', over: 'last', form: 'BF', layer: this.topLayer(), layers: [], open: false };
  }

  assignRole(where: string, name: string, role: InputRole): void {
    const had = this.roles.get(name);
    if (had && had !== role) throw invalidArgument(`${where}: graph input ${JSON.stringify(name)} is used both as ${had} and as ${role}`);
    this.roles.set(name, role);
  }
}

function constOrNull(ctx: NodeContext, index: number, what: string) {
  const value = ctx.inputs[index];
  if (value === null || value === undefined) return null;
  if (value.kind !== 'const') throw invalidArgument(`${ctx.where}: ${what} must be an initializer or Constant, got ${describeValueKind(value)}`);
  return value.tensor;
}

function initialState(ctx: NodeContext, state: WalkState, index: number, role: 'h0' | 'c0', layer: number, D: number, layout: number): InitialState {
  const value = ctx.inputs[index];
  if (!value || value.kind === 'zeros' || (value.kind === 'const' && value.tensor.data.every((v) => v === 0))) return { kind: 'zeros' };
  const whole = value.kind === 'input' && !value.swapped;
  const rows = value.kind === 'inputRows' && value.start === layer * D && value.end === (layer + 1) * D;
  if (!whole && !rows) {
    throw invalidArgument(`${ctx.where}: ${role === 'h0' ? 'initial_h' : 'initial_c'} must be absent, zero, a graph input or its rows ${layer * D}..${(layer + 1) * D - 1} (a Slice along axis 0), got ${describeValueKind(value)}`);
  }
  if (layout === 1 && layer > 0) throw invalidArgument(`${ctx.where}: initial states of a layout-1 node above the first layer are not supported`);
  state.assignRole(ctx.where, value.name, role);
  return { kind: 'input', name: value.name, batchMajor: layout === 1 };
}

/** An LSTM node: checks it continues the stack, reads its weights, and gives its Y, Y_h and Y_c. */
export function readLstmNode(ctx: NodeContext, state: WalkState): Value[] {
  const { where, inputs } = ctx;
  const attrs = lstmAttributes(where, ctx.node, state.opset);
  const layer = state.layers.length;
  const D = attrs.direction === 'bidirectional' ? 2 : 1;
  const first = state.layers[0]?.attrs;
  if (first) {
    const same = JSON.stringify([first.direction, first.hiddenSize, first.activations, first.clip, first.inputForget]) === JSON.stringify([attrs.direction, attrs.hiddenSize, attrs.activations, attrs.clip, attrs.inputForget]);
    if (!same) throw invalidArgument(`${where}: its direction, hidden_size, activations, clip and input_forget must be those of the first LSTM node (${state.layers[0].where}); a model's layers share them`);
  }
  const x = inputs[0];
  if (layer === 0) {
    if (x?.kind !== 'input') throw invalidArgument(`${where}: the first LSTM node must read a graph input (directly or through a Transpose), got ${x ? describeValueKind(x) : 'nothing'}`);
    state.assignRole(where, x.name, 'x');
    state.batchFirst = attrs.layout === 0 ? x.swapped : !x.swapped;
  } else {
    const form = attrs.layout === 0 ? 'TBF' : 'BTF';
    if (x?.kind !== 'sequence' || x.layer !== layer - 1 || x.form !== form || x.flipped) {
      throw invalidArgument(`${where}: expected layer ${layer - 1}'s output as ${form === 'TBF' ? '[T, B, D·H]' : '[B, T, D·H]'} in its own time order, got ${x ? describeValueKind(x) : 'nothing'}`);
    }
  }
  const w = constOrNull(ctx, 1, 'W');
  const r = constOrNull(ctx, 2, 'R');
  if (!w || !r) throw invalidArgument(`${where}: W and R are required`);
  const inputSize = w.dims[2];
  const params = directionParams(where, D, attrs.hiddenSize, inputSize, w, r, constOrNull(ctx, 3, 'B'), constOrNull(ctx, 7, 'P'));
  const lens = inputs[4];
  let lengths: string | null = null;
  if (lens) {
    if (lens.kind !== 'input' || lens.swapped) throw invalidArgument(`${where}: sequence_lens must be a graph input, got ${describeValueKind(lens)}`);
    state.assignRole(where, lens.name, 'lengths');
    lengths = lens.name;
  }
  state.layers.push({
    where,
    attrs,
    inputSize,
    params,
    lengths,
    initialH: initialState(ctx, state, 5, 'h0', layer, D, attrs.layout),
    initialC: initialState(ctx, state, 6, 'c0', layer, D, attrs.layout),
  });
  const batchMajor = attrs.layout === 1;
  return [
    { kind: 'sequence', layer, form: batchMajor ? 'BTDH' : 'TDBH', flipped: attrs.direction === 'reverse' },
    { kind: 'state', which: 'h', first: layer, last: layer, batchMajor },
    { kind: 'state', which: 'c', first: layer, last: layer, batchMajor },
  ];
}

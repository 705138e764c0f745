import { describeValue } from '../core/describe.js';
import { invalidArgument, invalidShape } from '../core/errors.js';

/**
 * The order of the four gate blocks in each framework's LSTM weights. Every framework stacks the
 * four gates' rows (or columns) into one [4H, ·] tensor, but not in the same order:
 *
 * - PyTorch `torch.nn.LSTM`: i, f, g, o (docs of torch.nn.LSTM, "weight_ih_l[k]").
 * - Keras / TensorFlow.js `LSTM`: i, f, c, o (the kernel's columns; tf.keras LSTMCell source),
 *   which is PyTorch's order under other letters (c is the candidate, PyTorch's g).
 * - ONNX `LSTM`: i, o, f, c (ONNX operator spec, "W: ... the weight tensor for the gates").
 *
 * Gates are named here by what they do: input (i), forget (f), candidate (g, c, c̃), output (o).
 */
export type Gate = 'input' | 'forget' | 'candidate' | 'output';
export type GateOrderName = 'pytorch' | 'keras' | 'onnx';

export const kGateOrders: Readonly<Record<GateOrderName, readonly Gate[]>> = Object.freeze({
  pytorch: Object.freeze(['input', 'forget', 'candidate', 'output'] as const),
  keras: Object.freeze(['input', 'forget', 'candidate', 'output'] as const),
  onnx: Object.freeze(['input', 'output', 'forget', 'candidate'] as const),
});

function gateOrder(name: string, value: unknown): readonly Gate[] {
  if (typeof value !== 'string' || !Object.hasOwn(kGateOrders, value)) {
    throw invalidArgument(`${name}: expected one of ${Object.keys(kGateOrders).join(', ')}, got ${describeValue(value)}`);
  }
  return kGateOrders[value as GateOrderName];
}

/**
 * Reorders the four gate blocks of a weight or bias stacked along its leading axis ([4H, cols]
 * row-major, or [4H]) from one framework's order to another's: block k of the result is the block
 * of `data` that holds gate `kGateOrders[to][k]`. Returns a new array of the same type.
 * A Keras kernel is [cols, 4H] (gates along its columns): transpose it first.
 *
 * @example
 * // PyTorch weight_ih_l0 [4H, I] → ONNX W's gate order (i, o, f, c)
 * const w = permuteGateBlocks(model.param('weight_ih_l0'), 'pytorch', 'onnx');
 */
export function permuteGateBlocks<A extends Float32Array | Float64Array>(data: A, from: GateOrderName, to: GateOrderName): A {
  const source = gateOrder('from', from);
  const target = gateOrder('to', to);
  if (data.length % 4 !== 0) {
    throw invalidShape(`data: expected four gate blocks (a length divisible by 4), got ${data.length} values`);
  }
  const block = data.length / 4;
  const out = new (data.constructor as new (length: number) => A)(data.length);
  target.forEach((gate, k) => {
    const at = source.indexOf(gate);
    out.set(data.subarray(at * block, (at + 1) * block), k * block);
  });
  return out;
}

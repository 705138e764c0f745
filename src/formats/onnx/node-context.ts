import { invalidArgument } from '../../core/errors.js';
import { nodeAttributes, type AttributeValue } from './attributes.js';
import type { NodeProto } from './proto.js';
import { describeValueKind, type Value } from './values.js';

/** The reader's view of one node: where it is, its attributes, and its inputs' values. */
export interface NodeContext {
  readonly where: string;
  readonly node: NodeProto;
  readonly inputs: (Value | null)[];
  attributes(known: readonly string[]): Map<string, AttributeValue>;
  /** An input that must be a constant, as numbers (axes, perm, shape, indices). */
  constInts(index: number, what: string): number[];
}

export function nodeContext(where: string, node: NodeProto, inputs: (Value | null)[]): NodeContext {
  return {
    where,
    node,
    inputs,
    attributes: (known) => nodeAttributes(where, node, known),
    constInts(index, what) {
      const value = inputs[index];
      if (value?.kind !== 'const') throw invalidArgument(`${where}: input ${index} (${what}) must be a constant here, got ${value ? describeValueKind(value) : 'nothing'}`);
      return [...value.tensor.data];
    },
  };
}

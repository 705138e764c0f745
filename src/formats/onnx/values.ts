import type { DenseLayerConfig } from '../../model/head.js';
import type { OnnxTensor } from './tensors.js';

/**
 * What the ONNX reader knows about each tensor of the graph as it walks the nodes in order: enough
 * to tell an LSTM stack (and its head) apart from anything else, without running the graph.
 */
export type Value =
  /** An initializer or Constant: its values. */
  | { readonly kind: 'const'; readonly tensor: OnnxTensor }
  /** A zero tensor of any shape (Expand or ConstantOfShape of 0, as exporters make zero initial states). */
  | { readonly kind: 'zeros' }
  /** A graph input, as given or with its first two axes swapped (a Transpose perm [1, 0, 2]). */
  | { readonly kind: 'input'; readonly name: string; readonly swapped: boolean }
  /** Rows start..end−1 of a graph input along axis 0 (a Slice: one layer's share of h0 or c0). */
  | { readonly kind: 'inputRows'; readonly name: string; readonly start: number; readonly end: number }
  /**
   * Layer `layer`'s output: the node's Y [T, D, B, H] or layout-1 Y [B, T, D, H], the [T, B, D, H]
   * of a Transpose on the way to [T, B, D·H], or [T, B, D·H] / [B, T, D·H]. `flipped`: its time
   * axis runs opposite to this library's output order (see OutputView).
   */
  | { readonly kind: 'sequence'; readonly layer: number; readonly form: 'TDBH' | 'BTDH' | 'TBDH' | 'TBF' | 'BTF'; readonly flipped: boolean }
  /** Y_h or Y_c of layers first..last, stacked along axis 0 ([D, B, H] per layer; [B, D, H] for layout 1). */
  | { readonly kind: 'state'; readonly which: 'h' | 'c'; readonly first: number; readonly last: number; readonly batchMajor: boolean }
  /** One row of a state stack ([B, H]): layer, direction. */
  | { readonly kind: 'stateRow'; readonly which: 'h' | 'c'; readonly layer: number; readonly direction: number }
  /** The top layer's two final h rows as [B, 2, H] (a Transpose of its Y_h), before a Reshape to [B, 2H]. */
  | { readonly kind: 'lastPair' }
  /** The head's input and the dense layers applied to it so far. */
  | {
      readonly kind: 'head';
      readonly over: 'last' | 'sequence';
      readonly form: 'BF' | 'TBF' | 'BTF';
      /** The LSTM layer it reads (checked to be the top one once the whole graph is read). */
      readonly layer: number;
      readonly layers: readonly HeadLayer[];
      /** The last layer came from a MatMul whose bias (an Add) may still follow. */
      readonly open: boolean;
    }
  /** Anything else: what made it, for the error if it turns out to matter. */
  | { readonly kind: 'opaque'; readonly origin: string };

/** A dense layer read from MatMul (+ Add) or Gemm: nn.Linear's W [out, in] and b [out]. */
export interface HeadLayer extends DenseLayerConfig {
  readonly weight: Float64Array;
  readonly bias: Float64Array;
  readonly inFeatures: number;
}

export function describeValueKind(value: Value): string {
  switch (value.kind) {
    case 'opaque':
      return `the output of ${value.origin}, which this reader does not follow`;
    case 'sequence':
      return `LSTM layer ${value.layer}'s output (${value.form}${value.flipped ? ', time reversed' : ''})`;
    case 'state':
      return `Y_${value.which} of LSTM layers ${value.first}..${value.last}`;
    case 'input':
      return `graph input ${JSON.stringify(value.name)}`;
    default:
      return value.kind;
  }
}

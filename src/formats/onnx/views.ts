/**
 * How a graph output of an ONNX file maps to this library's results (which output is `output`,
 * `h_n`, `c_n` or `prediction`, in which layout), for a graph that reduces to our model:
 *
 * - 'sequence': the last layer's output in one of the forms ONNX graphs hold it: [T, B, D·H],
 *   [B, T, D·H], the LSTM node's own Y [T, D, B, H] or its layout-1 Y [B, T, D, H]; `flipped` when
 *   the file's time axis runs the other way from ours (a reverse node without a Keras-style flip).
 * - 'state': h_n or c_n rows of layers first..last ([(last−first+1)·D, B, H], or a layout-1 node's
 *   [B, D, H]).
 * - 'prediction': the head's output, over the last step [B, O] or over every step [T, B, O] / [B, T, O].
 */
export type OutputView =
  | { readonly kind: 'sequence'; readonly form: 'TBF' | 'BTF' | 'TDBH' | 'BTDH'; readonly flipped: boolean }
  | { readonly kind: 'state'; readonly which: 'h' | 'c'; readonly first: number; readonly last: number; readonly batchMajor: boolean }
  | { readonly kind: 'prediction'; readonly form: 'BF' | 'TBF' | 'BTF' };

import { describeValue, formatShape } from '../../core/describe.js';
import { invalidArgument, invalidShape } from '../../core/errors.js';
import type { HostTensor } from './host-tensor.js';

/** ONNX element types as onnxruntime-web's Tensor names them (TensorProto.DataType → type). */
export type OnnxElementType = 'float32' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'int32' | 'int64' | 'bool' | 'float16' | 'float64' | 'uint32' | 'uint64';

const kTypeNames: Record<number, OnnxElementType> = { 1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64' };

/** The element type a graph input or output declares (float32 or int64 where it declares none). */
export function elementType(elemType: number | undefined, integer: boolean): OnnxElementType {
  return kTypeNames[elemType ?? 0] ?? (integer ? 'int64' : 'float32');
}

export function isIntegerType(type: OnnxElementType): boolean {
  return !type.startsWith('float');
}

/** A tensor given to or returned by `OnnxSession.run`: onnxruntime-web's Tensor fields (dims, type, data), and `shape` as this library names it. */
export interface OnnxValue {
  readonly type: OnnxElementType;
  readonly dims: readonly number[];
  readonly shape: readonly number[];
  /**
   * Integer types in their own arrays (int64 as BigInt64Array, int32 as Int32Array, bool as
   * Uint8Array, as onnxruntime-web); float types as Float64Array, the precision the host
   * interpreter and the CPU reference compute in (a float32 output holds float32-representable
   * values only where the LSTM ran on a float32 backend), except a value that only passed through
   * layout nodes (Squeeze, Reshape, Identity…) from a float32 feed or a float32 backend's LSTM
   * output: that one is the Float32Array it was, not widened.
   */
  readonly data: Float64Array | Float32Array | Int32Array | BigInt64Array | BigUint64Array | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array;
}

/** A feed: { dims | shape, data }, data numbers (a plain array or any typed array) or bigints (BigInt64Array). Tensors of onnxruntime-web fit as they are. */
export interface OnnxFeed {
  readonly dims?: readonly number[];
  readonly shape?: readonly number[];
  readonly data: ArrayLike<number> | ArrayLike<bigint>;
}

/** A feed as a host tensor, its values checked against the input's declared type (a Float32Array's or Float64Array's data as it is). */
export function feedTensor(name: string, feed: OnnxFeed, type: OnnxElementType): HostTensor {
  if (feed === null || typeof feed !== 'object' || feed.data === null || typeof feed.data !== 'object' || typeof feed.data.length !== 'number') {
    throw invalidArgument(`feeds.${name}: expected { dims, data } (${type}), got ${describeValue(feed)}`);
  }
  const dims = [...(feed.dims ?? feed.shape ?? [])];
  if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0)) throw invalidShape(`feeds.${name}: dims must be non-negative integers, got ${describeValue(dims)}`);
  const n = dims.reduce((a, b) => a * b, 1);
  if (feed.data.length !== n) throw invalidShape(`feeds.${name}: dims ${formatShape(dims)} hold ${n} values, got ${feed.data.length}`);
  const integer = isIntegerType(type);
  // A float feed in a Float64Array or a Float32Array is read in place: no host op writes into its inputs, and
  // OnnxSession.run copies an output that would be this array.
  if (!integer && (feed.data instanceof Float64Array || feed.data instanceof Float32Array)) return { dims, data: feed.data, int: false };
  const data = new Float64Array(n);
  // Typed arrays whose every value is valid for the type: one native conversion, no checked loop.
  if (integer && feed.data instanceof Int32Array) {
    data.set(feed.data as ArrayLike<number>);
    return { dims, data, int: integer };
  }
  for (let k = 0; k < n; k++) {
    const v = feed.data[k];
    const x = typeof v === 'bigint' ? Number(v) : v;
    if (typeof x !== 'number' || (integer && !Number.isSafeInteger(x))) throw invalidArgument(`feeds.${name}[${k}]: expected ${integer ? `an integer (${type}) below 2^53` : `a number (${type})`}, got ${describeValue(v)}`);
    data[k] = x;
  }
  return { dims, data, int: integer };
}

/** A host tensor as the output type the graph declares. */
export function outputValue(t: HostTensor, type: OnnxElementType): OnnxValue {
  const dims = [...t.dims];
  const d = t.data;
  const data = (() => {
    switch (type) {
      case 'int64':
        return BigInt64Array.from(d, (v) => BigInt(v));
      case 'uint64':
        return BigUint64Array.from(d, (v) => BigInt(v));
      case 'int32':
        return Int32Array.from(d);
      case 'uint32':
        return Uint32Array.from(d);
      case 'int16':
        return Int16Array.from(d);
      case 'uint16':
        return Uint16Array.from(d);
      case 'int8':
        return Int8Array.from(d);
      case 'uint8':
      case 'bool':
        return Uint8Array.from(d);
      default:
        return d;
    }
  })();
  return { type, dims, shape: dims, data };
}

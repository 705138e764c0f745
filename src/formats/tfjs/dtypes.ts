import { describeValue } from '../../core/describe.js';
import { invalidArgument } from '../../core/errors.js';
import { isJson, own } from '../keras/topology.js';

/**
 * A weight's entry in a TensorFlow.js manifest and how its bytes decode (tfjs-core's
 * io/io_utils.ts decodeWeights): float32 and int32 little-endian, 4 bytes each; with
 * `quantization` {dtype: uint8 | uint16, scale, min} the stored integers q mean q·scale + min, and
 * with {dtype: float16} the values are IEEE half floats (tensorflowjs_converter --quantize_*).
 */
export interface ManifestWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: unknown;
  readonly quantization: unknown;
}

type Storage = 'float32' | 'int32' | 'uint8' | 'uint16' | 'float16';

const kBytes: Record<Storage, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };

function storage(weight: ManifestWeight): Storage {
  const q = weight.quantization;
  if (q !== undefined && q !== null) {
    const dtype = isJson(q) ? own(q, 'dtype') : undefined;
    if (dtype === 'uint8' || dtype === 'uint16' || dtype === 'float16') return dtype;
    throw invalidArgument(`weight ${JSON.stringify(weight.name)}: quantization ${describeValue(q)}: expected dtype uint8, uint16 or float16`);
  }
  if (weight.dtype === 'float32' || weight.dtype === 'int32') return weight.dtype;
  throw invalidArgument(`weight ${JSON.stringify(weight.name)}: dtype ${describeValue(weight.dtype)} is not supported; expected float32 or int32 (or a quantized float32)`);
}

/** The bytes the weight takes in its group's shards. */
export function weightByteLength(weight: ManifestWeight): number {
  return weight.shape.reduce((a, b) => a * b, 1) * kBytes[storage(weight)];
}

function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** The weight's values as float64 from exactly its bytes. */
export function decodeWeights(weight: ManifestWeight, bytes: Uint8Array): Float64Array {
  const kind = storage(weight);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / kBytes[kind];
  const out = new Float64Array(n);
  const q = weight.quantization as Record<string, unknown> | undefined;
  const scale = q && typeof q.scale === 'number' ? q.scale : 1;
  const min = q && typeof q.min === 'number' ? q.min : 0;
  for (let i = 0; i < n; i++) {
    switch (kind) {
      case 'float32':
        out[i] = view.getFloat32(i * 4, true);
        break;
      case 'int32':
        out[i] = view.getInt32(i * 4, true);
        break;
      case 'uint8':
        out[i] = view.getUint8(i) * scale + min;
        break;
      case 'uint16':
        out[i] = view.getUint16(i * 2, true) * scale + min;
        break;
      case 'float16':
        out[i] = half(view.getUint16(i * 2, true));
        break;
    }
  }
  return out;
}

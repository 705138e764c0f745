import { formatShape } from '../../core/describe.js';
import { invalidArgument, invalidShape } from '../../core/errors.js';
import { checkBudget } from '../budget.js';
import { kDataType, toInteger, type TensorProto } from './proto.js';

/** A tensor read from the file: dims and values as float64 (integers included, exactly below 2^53). */
export interface OnnxTensor {
  readonly dims: number[];
  readonly data: Float64Array;
}

/** Counts values against the caller's budget as tensors are read, before each is allocated. */
export class ReadBudget {
  private values = 0;
  constructor(private readonly maxBytes: number) {}
  charge(what: string, count: number): void {
    this.values += count;
    checkBudget(`onnx: the tensors read so far (up to ${what})`, this.values, this.maxBytes);
  }
}

// BOOL and the small integer types are what graphs carry as conditions and masks (Where, If, Not);
// ONNX stores their typed values in int32_data.
const kBytesPer: Record<number, number> = { [kDataType.FLOAT]: 4, [kDataType.DOUBLE]: 8, [kDataType.INT32]: 4, [kDataType.INT64]: 8, [kDataType.FLOAT16]: 2, 2: 1, 3: 1, 4: 2, 5: 2, 9: 1 };
const kTypeNames: Record<number, string> = { 1: 'FLOAT', 2: 'UINT8', 3: 'INT8', 4: 'UINT16', 5: 'INT16', 6: 'INT32', 7: 'INT64', 9: 'BOOL', 10: 'FLOAT16', 11: 'DOUBLE' };

/** IEEE half-precision bits to a number. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * A TensorProto's values (FLOAT, DOUBLE, FLOAT16, INT32, INT64, INT16, UINT16, INT8, UINT8 or BOOL; raw_data or the typed fields).
 * The dims' product is checked against the budget and against the data actually present before
 * anything is allocated: a tensor declaring more (or fewer) values than it holds is refused.
 */
export function readTensor(what: string, tensor: TensorProto, budget: ReadBudget): OnnxTensor {
  if (tensor.dataLocation === 1 || (tensor.externalData?.length ?? 0) > 0) {
    throw invalidArgument(`${what}: stored as external data (a separate file); save the model with the weights inside (onnx.save(model, path, save_as_external_data=False))`);
  }
  if (tensor.segment) throw invalidArgument(`${what}: a segmented tensor; not supported`);
  const dims = (tensor.dims ?? []).map((d, k) => {
    const n = toInteger(`${what}.dims[${k}]`, d);
    if (n < 0) throw invalidShape(`${what}: dims ${formatShape(tensor.dims!.map(Number))} has a negative size`);
    return n;
  });
  const count = dims.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count)) throw invalidShape(`${what}: dims ${formatShape(dims)} declare more values than can exist`);
  const type = tensor.dataType ?? 0;
  const size = kBytesPer[type];
  if (!size) throw invalidArgument(`${what}: data type ${kTypeNames[type] ?? type} is not supported; expected FLOAT, DOUBLE, FLOAT16, INT32, INT64, INT16, UINT16, INT8, UINT8 or BOOL`);
  const raw = tensor.rawData && tensor.rawData.length > 0 ? tensor.rawData : null;
  const typed = type === kDataType.FLOAT ? tensor.floatData : type === kDataType.DOUBLE ? tensor.doubleData : type === kDataType.INT64 ? tensor.int64Data : tensor.int32Data;
  const present = raw ? raw.length / size : (typed?.length ?? 0);
  if (present !== count) {
    throw invalidShape(`${what}: dims ${formatShape(dims)} declare ${count} ${kTypeNames[type]} values, the data holds ${raw ? `${raw.length} bytes` : `${present} values`}`);
  }
  budget.charge(what, count);
  const data = new Float64Array(count);
  if (raw) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let k = 0; k < count; k++) data[k] = readRaw(view, type, k);
  } else {
    for (let k = 0; k < count; k++) {
      const v = typed![k];
      data[k] = type === kDataType.FLOAT16 ? halfToNumber(v as number) : typeof v === 'number' ? v : toInteger(`${what}[${k}]`, v);
    }
  }
  return { dims, data };
}

function readRaw(view: DataView, type: number, k: number): number {
  switch (type) {
    case kDataType.FLOAT:
      return view.getFloat32(4 * k, true);
    case kDataType.DOUBLE:
      return view.getFloat64(8 * k, true);
    case kDataType.FLOAT16:
      return halfToNumber(view.getUint16(2 * k, true));
    case kDataType.INT32:
      return view.getInt32(4 * k, true);
    case 2:
      return view.getUint8(k);
    case 3:
      return view.getInt8(k);
    case 4:
      return view.getUint16(2 * k, true);
    case 5:
      return view.getInt16(2 * k, true);
    case 9:
      return view.getUint8(k) === 0 ? 0 : 1;
    default: {
      // Past ±2^53 the nearest float64 (INT64_MAX reads as 2^63): ops compare such bounds, never index with them.
      return Number(view.getBigInt64(8 * k, true));
    }
  }
}

/** A TensorProto of float32 (or float64) values in raw_data, little-endian, as exporters write them. */
export function writeTensor(name: string, dims: readonly number[], data: ArrayLike<number>, type: 'float32' | 'float64' | 'int64' = 'float32'): TensorProto {
  const size = type === 'float32' ? 4 : 8;
  const raw = new Uint8Array(data.length * size);
  const view = new DataView(raw.buffer);
  for (let k = 0; k < data.length; k++) {
    if (type === 'float32') view.setFloat32(4 * k, data[k], true);
    else if (type === 'float64') view.setFloat64(8 * k, data[k], true);
    else view.setBigInt64(8 * k, BigInt(data[k]), true);
  }
  const dataType = type === 'float32' ? kDataType.FLOAT : type === 'float64' ? kDataType.DOUBLE : kDataType.INT64;
  return { name, dims: [...dims], dataType, rawData: raw };
}

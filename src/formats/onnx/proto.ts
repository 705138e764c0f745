import protobuf from 'protobufjs/light.js';
import { describeValue } from '../../core/describe.js';
import { invalidArgument } from '../../core/errors.js';
import { kOnnxDescriptor } from './onnx-descriptor.js';

/**
 * ONNX's protobuf messages through protobufjs (light build: the schema comes as a JSON descriptor
 * generated from onnx.proto, src/formats/onnx/onnx-descriptor.ts). The plain-object shapes below
 * name only the fields this library reads or writes; protobufjs fills the others too.
 */
export interface TensorProto {
  dims?: (number | Long)[];
  dataType?: number;
  name?: string;
  rawData?: Uint8Array;
  floatData?: number[];
  doubleData?: number[];
  int32Data?: number[];
  int64Data?: (number | Long)[];
  dataLocation?: number;
  segment?: unknown;
  externalData?: unknown[];
}

export interface AttributeProto {
  name?: string;
  type?: number;
  f?: number;
  i?: number | Long;
  s?: Uint8Array;
  t?: TensorProto;
  /** A subgraph (If's then_branch / else_branch). */
  g?: GraphProto;
  floats?: number[];
  ints?: (number | Long)[];
  strings?: Uint8Array[];
}

export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute?: AttributeProto[];
}

export interface ValueInfoProto {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: { dimValue?: number | Long; dimParam?: string }[] } } };
}

export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
}

export interface ModelProto {
  irVersion?: number | Long;
  opsetImport?: { domain?: string; version?: number | Long }[];
  producerName?: string;
  producerVersion?: string;
  graph?: GraphProto;
  metadataProps?: { key?: string; value?: string }[];
}

interface Long {
  toNumber(): number;
  high: number;
  low: number;
}

/** TensorProto.DataType values this library reads or writes (onnx.proto). */
export const kDataType = { FLOAT: 1, INT32: 6, INT64: 7, FLOAT16: 10, DOUBLE: 11 } as const;
/** AttributeProto.AttributeType values (onnx.proto). */
export const kAttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

let modelType: protobuf.Type | null = null;

function modelProtoType(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(kOnnxDescriptor as unknown as protobuf.INamespace).lookupType('onnx.ModelProto');
  return modelType;
}

/**
 * Decodes an ONNX file. protobufjs checks every declared length against the bytes left, so a
 * truncated file or an absurd length is refused here (INVALID_ARGUMENT) rather than read past.
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  try {
    return modelProtoType().decode(bytes) as unknown as ModelProto;
  } catch (error) {
    throw invalidArgument(`onnx: not a readable ONNX protobuf (${error instanceof Error ? error.message : describeValue(error)}); the file is truncated, corrupt or not ONNX`);
  }
}

export function encodeModel(model: ModelProto): Uint8Array {
  const type = modelProtoType();
  return type.encode(type.fromObject(model as Record<string, unknown>)).finish();
}

/** An int64 field as a JS number, refused beyond ±2^53 (no ONNX dimension or index is that large). */
export function toInteger(name: string, value: number | Long | undefined | null, fallback?: number): number {
  if (value === undefined || value === null) {
    if (fallback === undefined) throw invalidArgument(`${name}: missing`);
    return fallback;
  }
  const n = typeof value === 'number' ? value : value.toNumber();
  if (!Number.isSafeInteger(n)) throw invalidArgument(`${name}: expected an integer below 2^53, got ${describeValue(n)}`);
  return n;
}

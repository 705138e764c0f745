import { describeValue, formatShape } from '../core/describe.js';
import { invalidArgument, invalidShape } from '../core/errors.js';
import { checkBudget } from './budget.js';
import { checkJsonDepth } from './untrusted-json.js';

/**
 * The safetensors container (huggingface/safetensors, "Format"): an unsigned 64-bit little-endian
 * header length N, N bytes of JSON {name: {"dtype", "shape", "data_offsets": [begin, end]},
 * "__metadata__": {string: string}}, then the tensors' bytes, little-endian, offsets relative to
 * the end of the header. A small reader of our own: the format is that simple, and every size in
 * a hostile header is checked before anything is allocated.
 */
export interface SafetensorsFile {
  readonly tensors: Map<string, { readonly dtype: SafetensorsDtype; readonly shape: number[]; readonly data: Float64Array }>;
  readonly metadata: Record<string, string>;
}

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16';
const kSizes: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2 };
/** The reference implementation's cap on the header, 100 MB. */
const kMaxHeader = 100_000_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function half(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  const sign = bits & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

interface Entry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

function parseEntry(name: string, value: unknown, dataLength: number): Entry {
  const at = `safetensors: tensor ${JSON.stringify(name)}`;
  if (!isObject(value)) throw invalidArgument(`${at}: expected {"dtype", "shape", "data_offsets"}, got ${describeValue(value)}`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string' || !Object.hasOwn(kSizes, dtype)) throw invalidArgument(`${at}: dtype ${describeValue(dtype)} is not supported; expected F64, F32, F16 or BF16`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw invalidShape(`${at}: shape must be a list of non-negative integers, got ${describeValue(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw invalidArgument(`${at}: data_offsets must be [begin, end], non-negative integers, got ${describeValue(offsets)}`);
  }
  const [begin, end] = offsets as number[];
  if (begin > end || end > dataLength) throw invalidArgument(`${at}: data_offsets [${begin}, ${end}] lie outside the ${dataLength} data bytes the file holds`);
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count) || count * kSizes[dtype as SafetensorsDtype] !== end - begin) {
    throw invalidShape(`${at}: shape ${formatShape(shape as number[])} of ${dtype} needs ${count * kSizes[dtype as SafetensorsDtype]} bytes, data_offsets give ${end - begin}`);
  }
  return { name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end };
}

/**
 * Reads a safetensors file. Refused before allocation: a header length beyond the file or 100 MB,
 * a header that is not a JSON object, offsets out of range or overlapping, a shape that disagrees
 * with its byte count, and tensors whose values (as float64) exceed `maxBytes`.
 */
export function readSafetensors(bytes: Uint8Array, maxBytes = Infinity): SafetensorsFile {
  if (!(bytes instanceof Uint8Array) || bytes.length < 8) throw invalidArgument(`safetensors: expected at least 8 bytes (the header length), got ${bytes instanceof Uint8Array ? bytes.length : describeValue(bytes)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(kMaxHeader, bytes.length - 8))) {
    throw invalidArgument(`safetensors: the header declares ${headerLength} bytes; the file has ${bytes.length - 8} after the length (and headers are at most ${kMaxHeader})`);
  }
  const n = Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (error) {
    throw invalidArgument(`safetensors: the header is not JSON (${error instanceof Error ? error.message : error}); the file is truncated or not safetensors`);
  }
  checkJsonDepth(header, 'safetensors: the header');
  if (!isObject(header)) throw invalidArgument(`safetensors: the header must be a JSON object, got ${describeValue(header)}`);
  const data = bytes.subarray(8 + n);
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name !== '__metadata__') {
      entries.push(parseEntry(name, value, data.length));
      continue;
    }
    if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) throw invalidArgument(`safetensors: __metadata__ must map strings to strings, got ${describeValue(value)}`);
    Object.assign(metadata, value);
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin);
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k].begin < sorted[k - 1].end) throw invalidArgument(`safetensors: tensors ${JSON.stringify(sorted[k - 1].name)} and ${JSON.stringify(sorted[k].name)} overlap (bytes ${sorted[k].begin}..${sorted[k - 1].end - 1})`);
  }
  checkBudget('safetensors: the tensors this file declares', entries.reduce((s, e) => s + (e.end - e.begin) / kSizes[e.dtype], 0), maxBytes);
  const tensors = new Map<string, { dtype: SafetensorsDtype; shape: number[]; data: Float64Array }>();
  for (const e of entries) {
    const count = (e.end - e.begin) / kSizes[e.dtype];
    const out = new Float64Array(count);
    const at = data.byteOffset + e.begin;
    const dv = new DataView(data.buffer, at, e.end - e.begin);
    for (let k = 0; k < count; k++) {
      if (e.dtype === 'F64') out[k] = dv.getFloat64(8 * k, true);
      else if (e.dtype === 'F32') out[k] = dv.getFloat32(4 * k, true);
      else if (e.dtype === 'F16') out[k] = half(dv.getUint16(2 * k, true));
      else out[k] = new Float32Array(Uint32Array.of(dv.getUint16(2 * k, true) << 16).buffer)[0];
    }
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: out });
  }
  return { tensors, metadata };
}

/** Writes tensors (F32 or F64, each as given) and string metadata as a safetensors file. */
export function writeSafetensors(tensors: Map<string, { dtype: 'F32' | 'F64'; shape: readonly number[]; data: ArrayLike<number> }>, metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    const size = t.data.length * kSizes[t.dtype];
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = new Uint8Array(json.length + ((8 - (json.length % 8)) % 8)).fill(0x20); // padded to 8 bytes with spaces, as the reference writer does
  headerBytes.set(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    for (let k = 0; k < t.data.length; k++) {
      if (t.dtype === 'F32') view.setFloat32(at + 4 * k, t.data[k], true);
      else view.setFloat64(at + 8 * k, t.data[k], true);
    }
    at += t.data.length * kSizes[t.dtype];
  }
  return out;
}

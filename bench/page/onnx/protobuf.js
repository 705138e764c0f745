// A minimal protocol-buffers writer: just what an ONNX model file needs (varints, length-delimited
// fields). Each function returns the bytes of one field; a message is the
// concatenation of its fields.

const kVarint = 0;
const kLengthDelimited = 2;

/** @param {bigint} value non-negative, or a negative int64 (written as its 10-byte two's complement) */
function varintBytes(value) {
  let v = BigInt.asUintN(64, value);
  const out = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

/** @param {number} field @param {number} wireType */
function tag(field, wireType) {
  return varintBytes(BigInt((field << 3) | wireType));
}

/** Concatenates byte arrays. @param {(Uint8Array|number[])[]} parts @returns {Uint8Array} */
export function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** An integer field (int32, int64, enum). @param {number} field @param {number|bigint} value */
export function int(field, value) {
  return Uint8Array.from([...tag(field, kVarint), ...varintBytes(BigInt(value))]);
}

/** A bytes field, or an embedded message given as its bytes. @param {number} field @param {Uint8Array} data */
export function bytes(field, data) {
  return concat([tag(field, kLengthDelimited), varintBytes(BigInt(data.length)), data]);
}

/** A string field (UTF-8). @param {number} field @param {string} text */
export function string(field, text) {
  return bytes(field, new TextEncoder().encode(text));
}

/** A message field. @param {number} field @param {(Uint8Array|number[])[]} fields the message's fields */
export function message(field, fields) {
  return bytes(field, concat(fields));
}

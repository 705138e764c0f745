/**
 * Float arrays on their way into and out of the page, as base64 of their bytes. Puppeteer carries
 * arguments and results as JSON, where NaN and ±Infinity become null (and null then reads as 0):
 * raw bytes keep every value exactly, and are smaller than number lists besides. The page side
 * decodes and encodes with atob/btoa inside the evaluated function (it cannot import this file).
 */
export function encodeFloat64(values: ArrayLike<number>): string {
  return Buffer.from(Float64Array.from(values).buffer).toString('base64');
}

export function decodeFloat32(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

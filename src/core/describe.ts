/** How messages quote shapes and values: what the caller wrote, with its JSON type visible. */

/** Formats a shape the way messages quote it: [512, 128]. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Strings longer than this are cut in messages (a file's value may be megabytes long). */
const kMaxQuotedChars = 40;
/** Arrays of at most this many primitives are written out; longer ones are described by length. */
const kMaxListedItems = 8;
/** Keys of an object a message names before it says how many more there are. */
const kMaxListedKeys = 4;

/**
 * A given value as a message quotes it, so that its type can be read off: the string "3" (quoted)
 * is never confused with the number 3, nor null with 0.
 *
 *   "3"  ·  3  ·  -0  ·  NaN  ·  undefined  ·  true  ·  null  ·  10n  ·  [1, "2"]  ·
 *   an array of length 1000  ·  a Float32Array of length 8  ·  an object with keys "shape", "data"  ·
 *   an empty object  ·  a function  ·  a Map
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'undefined':
    case 'symbol':
      return String(value);
    case 'function':
      return 'a function';
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return describeArray(value);
  if (ArrayBuffer.isView(value)) {
    const length = (value as { length?: unknown }).length;
    return `${article(value.constructor.name)} of length ${typeof length === 'number' ? length : value.byteLength}`;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return describeObject(value as object);
  return article(prototype?.constructor?.name || 'object');
}

function quote(text: string): string {
  if (text.length <= kMaxQuotedChars) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, kMaxQuotedChars)).slice(0, -1)}…" (a string of ${text.length} characters)`;
}

function describeArray(items: readonly unknown[]): string {
  const primitive = (v: unknown) => v === null || (typeof v !== 'object' && typeof v !== 'function');
  // A sparse array's holes are not primitives a reader could see: describe it by length.
  if (items.length <= kMaxListedItems && Object.keys(items).length === items.length && items.every(primitive)) {
    return `[${items.map(describeValue).join(', ')}]`;
  }
  return `an array of length ${items.length}`;
}

function describeObject(value: object): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an empty object';
  const named = keys.slice(0, kMaxListedKeys).map(quote).join(', ');
  const more = keys.length > kMaxListedKeys ? ` and ${keys.length - kMaxListedKeys} more` : '';
  return `an object with ${keys.length === 1 ? 'key' : 'keys'} ${named}${more}`;
}

function article(noun: string): string {
  return `${/^[AEIOUaeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

import { invalidArgument } from '../core/errors.js';

/**
 * JSON from a file is untrusted. JSON.parse itself is iterative in V8 and reads any depth, but the
 * readers that walk the parsed value (a Keras topology, a model file) recurse, and a value nested
 * tens of thousands of levels deep would overflow the stack there with an untyped RangeError. So
 * every parsed file is measured here, iteratively, and refused beyond a depth no real model file
 * comes near (a Keras 3 config of a Bidirectional LSTM nests about 12 levels).
 */

/** The deepest nesting of arrays and objects a model file may have. */
export const kMaxJsonDepth = 64;

/**
 * Refuses a value nested deeper than kMaxJsonDepth with INVALID_ARGUMENT naming `where` and the
 * limit. Walks with an explicit stack, so it never recurses itself.
 */
export function checkJsonDepth(value: unknown, where: string): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > kMaxJsonDepth) throw invalidArgument(`${where}: nested deeper than ${kMaxJsonDepth} levels of arrays and objects (the limit for a model file)`);
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
}

/**
 * Parses a file's JSON text (bytes are decoded as strict UTF-8) and checks its depth. Throws
 * INVALID_ARGUMENT naming `where` for text that is not JSON or nests too deep.
 */
export function parseUntrustedJSON(text: string | Uint8Array, where: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(typeof text === 'string' ? text : new TextDecoder('utf-8', { fatal: true }).decode(text));
  } catch (error) {
    throw invalidArgument(`${where}: not valid JSON (${(error as Error).message})`);
  }
  checkJsonDepth(value, where);
  return value;
}

import { describe, expect, it } from 'vitest';
import { describeValue, formatShape } from '../../src/core/describe.js';

// How a message quotes the value it was given: its JSON type must be readable from the text, so
// that "expected an integer, got 3" can never be what a caller who passed the string "3" reads.
describe('describeValue', () => {
  const cases: [string, unknown, string][] = [
    ['a string, quoted', '3', '"3"'],
    ['an empty string', '', '""'],
    ['a string with quotes and a newline, escaped', 'a"b\n', '"a\\"b\\n"'],
    ['a long string, cut with its length', 'x'.repeat(100), `"${'x'.repeat(40)}…" (a string of 100 characters)`],
    ['a number', 3, '3'],
    ['a fraction', 2.5, '2.5'],
    ['negative zero', -0, '-0'],
    ['NaN', NaN, 'NaN'],
    ['-Infinity', -Infinity, '-Infinity'],
    ['a bigint', 10n, '10n'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a short list of primitives, written out', ['3', 2, null], '["3", 2, null]'],
    ['an empty list', [], '[]'],
    ['a long list, by length', new Array(9).fill(0), 'an array of length 9'],
    ['a list holding an object, by length', [{}], 'an array of length 1'],
    ['a sparse list, by length', [1, , 3], 'an array of length 3'], // eslint-disable-line no-sparse-arrays
    ['a typed array', new Float32Array(8), 'a Float32Array of length 8'],
    ['an Int32Array', new Int32Array(2), 'an Int32Array of length 2'],
    ['a DataView, by bytes', new DataView(new ArrayBuffer(4)), 'a DataView of length 4'],
    ['a plain object, by its keys', { shape: [1], data: [] }, 'an object with keys "shape", "data"'],
    ['an object with one key', { x: 1 }, 'an object with key "x"'],
    ['an object with many keys', { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, 'an object with keys "a", "b", "c", "d" and 2 more'],
    ['an empty object', {}, 'an empty object'],
    ['an object without a prototype', Object.create(null), 'an empty object'],
    ['a function', () => 1, 'a function'],
    ['a Map', new Map(), 'a Map'],
    ['a Date', new Date(0), 'a Date'],
    ['a symbol', Symbol('s'), 'Symbol(s)'],
  ];
  it.each(cases)('%s', (_name, value, text) => {
    expect(describeValue(value)).toBe(text);
  });

  it('formats shapes as messages quote them', () => {
    expect(formatShape([512, 128])).toBe('[512, 128]');
    expect(formatShape([])).toBe('[]');
  });
});

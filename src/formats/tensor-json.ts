import { elementCount, type Tensor } from '../core/tensor.js';
import { formatShape, describeValue } from '../core/describe.js';
import { invalidShape, type LstmError } from '../core/errors.js';


/**
 * The declared shape of a {shape, data} object from untrusted JSON, checked before anything is
 * allocated for its data: an object with exactly the keys shape and data (so "__proto__" or
 * "constructor" keys are refused, never followed), and a shape of non-negative integers.
 */
export function declaredShape(name: string, value: unknown, fail: (message: string) => LstmError = invalidShape): number[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw fail(`${name}: expected an object {"shape": [...], "data": [...]}, got ${describeValue(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (key !== 'shape' && key !== 'data') throw fail(`${name}: unknown key ${JSON.stringify(key)}; a tensor has only "shape" and "data"`);
  }
  const shape = Object.hasOwn(value, 'shape') ? (value as { shape: unknown }).shape : undefined;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw fail(`${name}.shape: expected a list of non-negative integers, got ${describeValue(shape)}`);
  }
  return shape as number[];
}

/**
 * Reads a {shape, data} object from untrusted JSON: the shape must be a list of non-negative
 * integers, the data a flat list of numbers whose length is the shape's product. The data's length
 * is compared with the shape before the typed array is allocated.
 */
export function parseTensor(name: string, value: unknown, fail: (message: string) => LstmError = invalidShape): Tensor<Float64Array> {
  const shape = declaredShape(name, value, fail);
  const data = Object.hasOwn(value as object, 'data') ? (value as { data: unknown }).data : undefined;
  if (!Array.isArray(data)) {
    throw fail(`${name}.data: expected a flat list of numbers, got ${describeValue(data)}`);
  }
  const count = elementCount(shape);
  if (data.length !== count) {
    throw fail(`${name}: shape ${formatShape(shape)} needs ${count} values, data has ${data.length}`);
  }
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const v = data[i];
    if (typeof v !== 'number') {
      throw fail(`${name}.data[${i}]: expected a number, got ${describeValue(v)}`);
    }
    out[i] = v;
  }
  return { shape, data: out };
}

/** The JSON form of a tensor, with plain numbers. */
export function tensorToJSON(tensor: Tensor<ArrayLike<number>>): { shape: number[]; data: number[] } {
  return { shape: [...tensor.shape], data: Array.from(tensor.data) };
}

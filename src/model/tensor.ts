import { formatShape, invalidShape } from '../api/errors.js';
import { describeValue } from './config.js';

export type FloatArray = Float32Array | Float64Array;

/** A dense row-major tensor: the {shape, data} form of the JSON format. */
export interface Tensor<T extends ArrayLike<number> = FloatArray> {
  readonly shape: readonly number[];
  readonly data: T;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Reads a {shape, data} object from untrusted JSON: the shape must be a list of non-negative
 * integers, the data a flat list of numbers whose length is the shape's product.
 */
export function parseTensor(name: string, value: unknown): Tensor<Float64Array> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidShape(`${name}: expected an object {"shape": [...], "data": [...]}, got ${describeValue(value)}`);
  }
  const { shape, data } = value as { shape?: unknown; data?: unknown };
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw invalidShape(`${name}.shape: expected a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(data)) {
    throw invalidShape(`${name}.data: expected a flat list of numbers, got ${describeValue(data)}`);
  }
  const count = elementCount(shape);
  if (data.length !== count) {
    throw invalidShape(`${name}: shape ${formatShape(shape)} needs ${count} values, data has ${data.length}`);
  }
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const v = data[i];
    if (typeof v !== 'number') {
      throw invalidShape(`${name}.data[${i}]: expected a number, got ${describeValue(v)}`);
    }
    out[i] = v;
  }
  return { shape: shape as number[], data: out };
}

/** The JSON form of a tensor, with plain numbers. */
export function tensorToJSON(tensor: Tensor<ArrayLike<number>>): { shape: number[]; data: number[] } {
  return { shape: [...tensor.shape], data: Array.from(tensor.data) };
}

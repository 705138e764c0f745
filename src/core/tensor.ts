export type FloatArray = Float32Array | Float64Array;

/** A dense row-major tensor: the {shape, data} form of the JSON format. */
export interface Tensor<T extends ArrayLike<number> = FloatArray> {
  readonly shape: readonly number[];
  readonly data: T;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

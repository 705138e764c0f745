/** A tensor of JSON fixtures: its shape and its row-major values. */
export interface JsonTensor {
  shape: number[];
  data: number[];
}

/** The elements lo..hi−1 of `axis` (row-major), as a fixture's tensor: how the CLI tests cut validation data off a batch. */
export function sliceAxis(t: JsonTensor, axis: number, lo: number, hi: number): JsonTensor {
  const shape = [...t.shape];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const data: number[] = [];
  for (let o = 0; o < outer; o++) data.push(...t.data.slice((o * shape[axis] + lo) * inner, (o * shape[axis] + hi) * inner));
  shape[axis] = hi - lo;
  return { shape, data };
}

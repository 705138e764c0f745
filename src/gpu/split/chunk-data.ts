/**
 * Copies between a call's time-major arrays [T, B, W] and a chunk's [S, n, W]: chunk row (s, j)
 * is sequence seqs[j] at time timeOf(s, j), or padding (zeros, never copied back) where timeOf
 * gives −1. Batch chunks use the identity in time; time chunks of the reverse direction walk each
 * sequence backwards.
 */
export interface ChunkMap {
  readonly steps: number;
  readonly seqs: readonly number[];
  readonly timeOf: (s: number, j: number) => number;
}

/** The chunk's rows of `source` [T, batch, width], as float64 ([steps, seqs.length, width]). */
export function gatherRows(source: ArrayLike<number>, batch: number, width: number, map: ChunkMap): Float64Array {
  const n = map.seqs.length;
  const out = new Float64Array(map.steps * n * width);
  for (let s = 0; s < map.steps; s++) {
    for (let j = 0; j < n; j++) {
      const t = map.timeOf(s, j);
      if (t < 0) continue;
      const from = (t * batch + map.seqs[j]) * width;
      const to = (s * n + j) * width;
      for (let k = 0; k < width; k++) out[to + k] = source[from + k];
    }
  }
  return out;
}

/**
 * Writes a chunk's rows `part` [steps, seqs.length, width] into `target` [T, batch, stride] at
 * column `column` (the direction's half of a bidirectional output).
 */
export function scatterRows(
  target: Float32Array | Float64Array,
  batch: number,
  stride: number,
  column: number,
  part: ArrayLike<number>,
  width: number,
  map: ChunkMap,
): void {
  const n = map.seqs.length;
  for (let s = 0; s < map.steps; s++) {
    for (let j = 0; j < n; j++) {
      const t = map.timeOf(s, j);
      if (t < 0) continue;
      const from = (s * n + j) * width;
      const to = (t * batch + map.seqs[j]) * stride + column;
      for (let k = 0; k < width; k++) target[to + k] = part[from + k];
    }
  }
}

/**
 * The map of a chunk that keeps every step and takes sequences `seqs`: for the batch split, and
 * for states [L·D, B, H], which are laid out like [T, B, W] with L·D for T.
 */
export function sequencesOnly(steps: number, seqs: readonly number[]): ChunkMap {
  return { steps, seqs, timeOf: (s) => s };
}

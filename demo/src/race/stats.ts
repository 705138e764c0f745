/** The shape of a race: batch B, steps T, input size I, hidden size H. */
export interface RaceShape {
  readonly batch: number;
  readonly steps: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
}

/** The library's benchmark grid (B, T, I, H), offered as presets. */
export const kBenchGrid: readonly RaceShape[] = [
  { batch: 1, steps: 100, inputSize: 32, hiddenSize: 128 },
  { batch: 16, steps: 100, inputSize: 64, hiddenSize: 128 },
  { batch: 64, steps: 100, inputSize: 128, hiddenSize: 256 },
  { batch: 256, steps: 50, inputSize: 128, hiddenSize: 256 },
  { batch: 1, steps: 1000, inputSize: 16, hiddenSize: 64 },
];

export function shapeDims(shape: RaceShape): number[] {
  return [shape.batch, shape.steps, shape.inputSize, shape.hiddenSize];
}

/**
 * Floating-point operations of one forward pass of one layer and direction: every step multiplies
 * the [4H, I + H] gate weights by [x_t; h_{t−1}] for each of B sequences, a multiply and an add
 * per weight. (The element-wise gate maths is O(B·T·H) and left out, as is usual.)
 */
export function forwardFlops(shape: RaceShape): number {
  return 2 * shape.batch * shape.steps * 4 * shape.hiddenSize * (shape.inputSize + shape.hiddenSize);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One backend's timed runs and what they mean. */
export interface Timing {
  readonly timesMs: readonly number[];
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Time steps per second: T ÷ median (each step advances the whole batch). */
  readonly stepsPerSecond: number;
  readonly gflops: number;
}

export function summarize(timesMs: readonly number[], shape: RaceShape): Timing {
  const medianMs = median(timesMs);
  const seconds = medianMs / 1000;
  return {
    timesMs,
    medianMs,
    minMs: Math.min(...timesMs),
    maxMs: Math.max(...timesMs),
    stepsPerSecond: shape.steps / seconds,
    gflops: forwardFlops(shape) / seconds / 1e9,
  };
}

import type { Runner } from '../../src/api/runner.js';
import type { StreamOutputs } from '../../src/api/stream.js';

/** The unidirectional torch fixtures without lengths: a stream runs every slot every step. */
export const kStreamableCases = ['batch1_long', 'h128_t100', 'no_bias', 'odd_sizes', 'seed004_scalar', 'two_layer'];

/** Uneven chunks that cover T steps: 1, 2, 3, 5, 1, 2, 3, 5, … (the last one cut to fit). */
export function chunkSizes(steps: number): number[] {
  const pattern = [1, 2, 3, 5];
  const sizes: number[] = [];
  for (let t = 0, i = 0; t < steps; i++) {
    const k = Math.min(pattern[i % pattern.length], steps - t);
    sizes.push(k);
    t += k;
  }
  return sizes;
}

export interface Streamed {
  /** 'all': every step's output, [T, B, W] time-major; 'last': each push's last step, [pushes, B, W]. */
  readonly output: Float64Array;
  readonly hN: ArrayLike<number>;
  readonly cN: ArrayLike<number>;
  /** The step index (0-based) whose output each 'last' row holds. */
  readonly lastSteps: number[];
  readonly stats: { dispatches: number; submits: number; readbacks: number }[];
}

/** Streams time-major x [T, B, I] through a new stream of `runner` in chunkSizes(T) pushes. */
export async function streamInChunks(runner: Runner, x: ArrayLike<number>, steps: number, batch: number, outputs: StreamOutputs): Promise<Streamed> {
  const I = runner.model.config.inputSize;
  const stream = runner.stream({ batch, outputs });
  try {
    const parts: ArrayLike<number>[] = [];
    const lastSteps: number[] = [];
    const stats: Streamed['stats'] = [];
    let t = 0;
    for (const k of chunkSizes(steps)) {
      const chunk = Array.prototype.slice.call(x, t * batch * I, (t + k) * batch * I) as number[];
      const result = k === 1 && t % 2 === 0 ? await stream.step(chunk) : await stream.push(chunk, k);
      parts.push(result.output.data);
      stats.push(result.stats);
      t += k;
      lastSteps.push(t - 1);
    }
    const output = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      output.set(part, at);
      at += part.length;
    }
    const { hN, cN } = await stream.state();
    return { output, hN: hN.data, cN: cN.data, lastSteps, stats };
  } finally {
    stream.dispose();
  }
}

/** Rows of a [T, B, W] time-major tensor at the given steps, as [steps.length, B, W]. */
export function stepsOf(data: ArrayLike<number>, steps: readonly number[], batch: number, width: number): Float64Array {
  const out = new Float64Array(steps.length * batch * width);
  steps.forEach((t, i) => {
    for (let j = 0; j < batch * width; j++) out[i * batch * width + j] = data[t * batch * width + j];
  });
  return out;
}

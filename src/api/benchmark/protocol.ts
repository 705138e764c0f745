// The timing protocol that benchmark() and `npm run bench` share (bench/lib/protocol.mjs imports
// it from dist/): interleaved rounds within a budget, the figures taken from them, and the FLOPs
// a forward call is credited with. Pure logic: what is timed, and how, is the caller's.

/** One engine taking part in the rounds: its id and what its warm-up already spent of the budget. */
export interface TimingEntry {
  readonly id: string;
  /** Milliseconds the warm-up took (it counts against the budget). */
  readonly warmupMs: number;
}

/** How an entry's rounds ended. */
export interface TimingOutcome {
  /** One per timed run, in milliseconds, in the order they ran. */
  readonly timesMs: number[];
  /** 'reps': every round ran; 'budget': the next run would have passed the budget; 'error': a run threw. */
  stop: 'reps' | 'budget' | 'error';
  /** The message of the run that threw; null otherwise. */
  error: string | null;
}

/** What one round did: the runs timed in it, and the entries still running after it. */
export interface RoundReport {
  /** 0-based. */
  readonly round: number;
  readonly timed: readonly { readonly id: string; readonly ms: number }[];
  readonly active: readonly string[];
}

/**
 * Times the entries in `reps` rounds, each round running every entry still active once, starting
 * one further along the list each round so no entry always runs right after the same neighbour
 * (caches, clocks and the other engines' threads then weigh on all alike). An entry stops when its
 * next run would take it past `budgetMs` (warm-up included; it always gets one timed run), or when
 * `time` throws. `time(id)` returns the milliseconds of one run.
 *
 * @example
 * const outcomes = await timeInterleaved([{ id: 'wasm', warmupMs: 12 }], { reps: 10, budgetMs: 5000 }, async () => timeOneForward());
 */
export async function timeInterleaved(
  entries: readonly TimingEntry[],
  options: { readonly reps: number; readonly budgetMs: number },
  time: (id: string) => Promise<number>,
  onRound?: (report: RoundReport) => void,
): Promise<Map<string, TimingOutcome>> {
  const outcomes = new Map<string, TimingOutcome>(entries.map((e) => [e.id, { timesMs: [], stop: 'reps', error: null }]));
  let active = [...entries];
  for (let round = 0; round < options.reps && active.length > 0; round++) {
    const order = active.map((_, i) => active[(i + round) % active.length]);
    const timed: { id: string; ms: number }[] = [];
    for (const entry of order) {
      const outcome = outcomes.get(entry.id)!;
      const spent = entry.warmupMs + outcome.timesMs.reduce((a, b) => a + b, 0);
      const last = outcome.timesMs.at(-1) ?? 0;
      if (outcome.timesMs.length > 0 && spent + last > options.budgetMs) {
        outcome.stop = 'budget';
        active = active.filter((e) => e !== entry);
        continue;
      }
      try {
        const ms = await time(entry.id);
        outcome.timesMs.push(ms);
        timed.push({ id: entry.id, ms });
      } catch (error) {
        outcome.stop = 'error';
        outcome.error = error instanceof Error ? error.message : String(error);
        active = active.filter((e) => e !== entry);
      }
    }
    onRound?.({ round, timed, active: active.map((e) => e.id) });
  }
  return outcomes;
}

/** Median, fastest and slowest of timed runs, in milliseconds; null for no runs. */
export function summarizeTimes(timesMs: readonly number[]): { medianMs: number; minMs: number; maxMs: number } | null {
  if (timesMs.length === 0) return null;
  const sorted = [...timesMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { medianMs, minMs: sorted[0], maxMs: sorted[sorted.length - 1] };
}

/** The sizes a forward call's FLOPs depend on (PyTorch's names; layers 1, unidirectional, no projection by default). */
export interface FlopShape {
  readonly batch: number;
  readonly steps: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly layers?: number;
  readonly bidirectional?: boolean;
  /** proj_size (0 or absent: none). */
  readonly projSize?: number;
}

/**
 * FLOPs credited to one forward call: the multiply-adds of the two products per step, counted as
 * 2 FLOPs each: 2·B·T·4H·(I_k + R) per layer k and direction, with R = H (or proj_size P, plus the
 * projection's 2·B·T·P·H); the activations and the cell update are not counted.
 */
export function forwardFlops(s: FlopShape): number {
  const D = s.bidirectional ? 2 : 1;
  const R = s.projSize ? s.projSize : s.hiddenSize;
  let flops = 0;
  for (let k = 0; k < (s.layers ?? 1); k++) {
    const inputWidth = k === 0 ? s.inputSize : D * R;
    flops += D * 2 * s.batch * s.steps * (4 * s.hiddenSize * (inputWidth + R) + (s.projSize ? R * s.hiddenSize : 0));
  }
  return flops;
}

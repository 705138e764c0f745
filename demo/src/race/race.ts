import { compareResults, kDefaultTolerance, LSTM, type Backend, type ForwardResult } from 'webgpu-lstm';
import { runEngineRace } from './engine-client.js';
import type { WorkerEngine } from './protocol.js';
import { summarize, type RaceShape, type Timing } from './stats.js';

export interface RaceRequest {
  readonly shape: RaceShape;
  readonly warmup: number;
  readonly reps: number;
}

export interface RaceProgress {
  readonly done: number;
  readonly total: number;
  /** What runs now, in words: "WebGPU, timed run 2 of 5". */
  readonly phase: string;
}

/** The race's lanes, fastest kind first: WebGPU on the page, the wasm engine and the float64 reference in workers. */
export type LaneEngine = 'webgpu' | WorkerEngine;

/** How the page names each lane. */
export const kLaneLabels: Readonly<Record<LaneEngine, string>> = { webgpu: 'WebGPU', wasm: 'wasm (f32)', cpu: 'CPU (f64)' };

export interface RaceLane {
  readonly engine: LaneEngine;
  /** Null when this browser cannot run the lane (no WebGPU; no wasm SIMD): `note` says why. */
  readonly timing: Timing | null;
  /** The backend's own reason (the wasm engine's says its thread count and why), or why the lane is absent. */
  readonly note: string;
  /** The largest |lane − reference| over output, h_n and c_n; null for the reference itself and absent lanes. */
  readonly maxAbs: number | null;
  /** Whether every element is within the library's default tolerance; null as maxAbs. */
  readonly passed: boolean | null;
}

/** "A is faster than B by ratio": B's median ÷ A's median, so above 1 the first is faster. */
export interface Headline {
  readonly first: LaneEngine;
  readonly second: LaneEngine;
  readonly ratio: number;
}

export interface RaceResult {
  readonly shape: RaceShape;
  /** WebGPU, wasm, CPU (f64), in that order; absent lanes have no timing. */
  readonly lanes: readonly RaceLane[];
  /**
   * The comparison that matters here: WebGPU against the wasm engine (the fastest CPU engine)
   * when both ran, else whichever two of the three did.
   */
  readonly headline: Headline | null;
}

/** Weights come from this seed on every lane, so all run the same model. */
const kModelSeed = 2024;

/** Uniform values in [−1, 1): ordinary magnitudes, where the default tolerance applies. */
function randomInput(shape: RaceShape): Float64Array {
  const x = new Float64Array(shape.steps * shape.batch * shape.inputSize);
  for (let k = 0; k < x.length; k++) x[k] = Math.random() * 2 - 1;
  return x;
}

function phaseName(lane: LaneEngine, run: number, warmup: number, reps: number): string {
  const name = kLaneLabels[lane];
  return run < warmup ? `${name}, warm-up ${run + 1} of ${warmup}` : `${name}, timed run ${run - warmup + 1} of ${reps}`;
}

interface LaneRun {
  readonly note: string;
  readonly timesMs: number[] | null;
  readonly result: ForwardResult | null;
}

/**
 * Times one forward pass on WebGPU (on this page), then on the wasm engine and on the CPU reference
 * (each in its own worker), one after the other so they never compete for the processor, and
 * compares every result with the reference's.
 */
export async function runRace(
  backend: Backend,
  request: RaceRequest,
  onProgress: (progress: RaceProgress) => void,
  signal: AbortSignal,
): Promise<RaceResult> {
  const { shape, warmup, reps } = request;
  const runs = warmup + reps;
  const hasGpu = backend.kind === 'webgpu';
  const total = (hasGpu ? runs : 0) + 2 * runs;
  let done = 0;
  const tick = (lane: LaneEngine, run: number) => onProgress({ done, total, phase: phaseName(lane, run, warmup, reps) });
  const x = randomInput(shape);
  const model = LSTM.random({ inputSize: shape.inputSize, hiddenSize: shape.hiddenSize, seed: kModelSeed });
  const options = { steps: shape.steps, batch: shape.batch };

  let gpu: LaneRun = { note: backend.reason, timesMs: null, result: null };
  if (hasGpu) {
    onProgress({ done, total, phase: 'WebGPU, loading the model' });
    const runner = await backend.load(model);
    try {
      const timesMs: number[] = [];
      let result: ForwardResult | null = null;
      for (let run = 0; run < runs; run++) {
        signal.throwIfAborted();
        tick('webgpu', run);
        const start = performance.now();
        result = await runner.forward(x, options);
        if (run >= warmup) timesMs.push(performance.now() - start);
        done++;
      }
      gpu = { note: backend.reason, timesMs, result };
    } finally {
      runner.dispose();
    }
  }

  const inWorker = async (engine: WorkerEngine): Promise<LaneRun> => {
    signal.throwIfAborted();
    let run = 0;
    tick(engine, 0);
    const outcome = await runEngineRace(
      { engine, shape, seed: kModelSeed, x, warmup, reps },
      () => {
        done++;
        run++;
        if (run < runs) tick(engine, run);
      },
      signal,
    );
    // An engine this browser lacks still counts its passes as done, so the bar ends full.
    if (outcome.timesMs === null) done += runs;
    return { note: outcome.reason, timesMs: outcome.timesMs, result: outcome.result };
  };
  const wasm = await inWorker('wasm');
  const cpu = await inWorker('cpu');
  onProgress({ done, total, phase: 'comparing the results' });
  if (!cpu.result || !cpu.timesMs) throw new Error(`the CPU reference did not run: ${cpu.note}`);

  const reference = cpu.result;
  const lane = (engine: LaneEngine, run: LaneRun): RaceLane => {
    const report = run.result && engine !== 'cpu' ? compareResults(model.config, reference, run.result, kDefaultTolerance) : null;
    return {
      engine,
      timing: run.timesMs ? summarize(run.timesMs, shape) : null,
      note: run.note,
      maxAbs: report?.maxAbs ?? null,
      passed: report?.passed ?? null,
    };
  };
  const lanes = [lane('webgpu', gpu), lane('wasm', wasm), lane('cpu', cpu)];
  return { shape, lanes, headline: headlineOf(lanes) };
}

/** WebGPU against wasm, else the first two lanes that ran (in the order WebGPU, wasm, CPU). */
function headlineOf(lanes: readonly RaceLane[]): Headline | null {
  const ran = lanes.filter((lane) => lane.timing !== null);
  if (ran.length < 2) return null;
  const [first, second] = ran;
  return { first: first.engine, second: second.engine, ratio: second.timing!.medianMs / first.timing!.medianMs };
}

import { compareResults, kDefaultTolerance, LSTM, type Backend, type ForwardResult } from 'webgpu-lstm';
import { runCpuRace } from './cpu-client.js';
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

export interface RaceResult {
  readonly shape: RaceShape;
  /** Null without WebGPU: then only the CPU is timed. */
  readonly gpu: Timing | null;
  readonly cpu: Timing;
  /** CPU median ÷ GPU median: above 1, WebGPU is faster. */
  readonly speedup: number | null;
  /** The largest |GPU − CPU| over output, h_n and c_n. */
  readonly maxAbs: number | null;
  /** Whether every element is within the library's default tolerance. */
  readonly passed: boolean | null;
}

/** Weights come from this seed on both sides, so both backends run the same model. */
const kModelSeed = 2024;

/** Uniform values in [−1, 1): ordinary magnitudes, where the default tolerance applies. */
function randomInput(shape: RaceShape): Float64Array {
  const x = new Float64Array(shape.steps * shape.batch * shape.inputSize);
  for (let k = 0; k < x.length; k++) x[k] = Math.random() * 2 - 1;
  return x;
}

function phaseName(backend: string, run: number, warmup: number, reps: number): string {
  return run < warmup ? `${backend}, warm-up ${run + 1} of ${warmup}` : `${backend}, timed run ${run - warmup + 1} of ${reps}`;
}

/**
 * Times one forward pass on WebGPU (on this page) and on the CPU reference (in a worker), one after
 * the other so they never compete for the processor, then compares their results.
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
  const total = (hasGpu ? runs : 0) + runs;
  let done = 0;
  const x = randomInput(shape);
  const model = LSTM.random({ inputSize: shape.inputSize, hiddenSize: shape.hiddenSize, seed: kModelSeed });
  const options = { steps: shape.steps, batch: shape.batch };

  let gpu: { timesMs: number[]; result: ForwardResult } | null = null;
  if (hasGpu) {
    onProgress({ done, total, phase: 'WebGPU, loading the model' });
    const runner = await backend.load(model);
    try {
      const timesMs: number[] = [];
      let result: ForwardResult | null = null;
      for (let run = 0; run < runs; run++) {
        signal.throwIfAborted();
        onProgress({ done, total, phase: phaseName('WebGPU', run, warmup, reps) });
        const start = performance.now();
        result = await runner.forward(x, options);
        if (run >= warmup) timesMs.push(performance.now() - start);
        done++;
      }
      gpu = { timesMs, result: result! };
    } finally {
      runner.dispose();
    }
  }

  signal.throwIfAborted();
  let cpuRun = 0;
  onProgress({ done, total, phase: phaseName('CPU', 0, warmup, reps) });
  const cpu = await runCpuRace(
    { shape, seed: kModelSeed, x, warmup, reps },
    () => {
      done++;
      cpuRun++;
      const phase = cpuRun < runs ? phaseName('CPU', cpuRun, warmup, reps) : 'comparing the results';
      onProgress({ done, total, phase });
    },
    signal,
  );

  const report = gpu ? compareResults(model.config, cpu.result, gpu.result, kDefaultTolerance) : null;
  const gpuTiming = gpu ? summarize(gpu.timesMs, shape) : null;
  const cpuTiming = summarize(cpu.timesMs, shape);
  return {
    shape,
    gpu: gpuTiming,
    cpu: cpuTiming,
    speedup: gpuTiming ? cpuTiming.medianMs / gpuTiming.medianMs : null,
    maxAbs: report?.maxAbs ?? null,
    passed: report?.passed ?? null,
  };
}

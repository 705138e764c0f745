import { modelFromScalarGates, type Backend, type BackendKind, type ScalarGates, type TraceEntry } from 'webgpu-lstm';

/** Seed 004's model: per gate [weight of x_t, weight of h_{t−1}, bias]. */
export const kSeed004Gates: ScalarGates = {
  forget: [0.5, 0.1, 0],
  input: [0.6, 0.2, 0],
  cell: [0.7, 0.3, 0],
  output: [0.8, 0.4, 0],
};
export const kSeed004Inputs: readonly number[] = [1, 2, 3];

/** The table's columns in seed 004's order: forget, input, candidate, cell state, output, hidden. */
export const kStepFields = [
  { key: 'f', name: 'Forget gate' },
  { key: 'i', name: 'Input gate' },
  { key: 'g', name: 'Candidate' },
  { key: 'c', name: 'Cell state' },
  { key: 'o', name: 'Output gate' },
  { key: 'h', name: 'Hidden state' },
] as const;
export type StepField = (typeof kStepFields)[number]['key'];
export type StepValues = Record<StepField, number>;

/** One sequence through the scalar model on the page's backend, with the CPU reference beside it. */
export interface ScalarRun {
  readonly inputs: readonly number[];
  /** Which backend produced `steps`: the GPU trace when WebGPU is there. */
  readonly backend: BackendKind;
  readonly steps: readonly StepValues[];
  /** The float64 CPU reference, step by step. */
  readonly reference: readonly StepValues[];
  /** The largest |backend − reference| over every value of the table. */
  readonly maxDiff: number;
}

/** Unpacks a trace of one layer, one direction and batch 1 (so [T, 1, 1]) into per-step rows. */
function rows(trace: TraceEntry, steps: number): StepValues[] {
  return Array.from({ length: steps }, (_, t) => ({
    f: trace.f[t],
    i: trace.i[t],
    g: trace.g[t],
    c: trace.c[t],
    o: trace.o[t],
    h: trace.h[t],
  }));
}

async function traceOn(backend: Backend, gates: ScalarGates, inputs: readonly number[]): Promise<StepValues[]> {
  const runner = await backend.load(modelFromScalarGates(gates));
  try {
    // One forward call with trace: every gate of every step comes back in one readback.
    const result = await runner.forward(inputs, { steps: inputs.length, batch: 1, trace: true });
    if (!result.trace) throw new Error('the backend returned no trace');
    return rows(result.trace[0], inputs.length);
  } finally {
    runner.dispose();
  }
}

export async function runScalar(
  backend: Backend,
  reference: Backend,
  gates: ScalarGates,
  inputs: readonly number[],
): Promise<ScalarRun> {
  const steps = await traceOn(backend, gates, inputs);
  const expected = backend.kind === 'cpu' ? steps : await traceOn(reference, gates, inputs);
  let maxDiff = 0;
  steps.forEach((row, t) => {
    for (const { key } of kStepFields) maxDiff = Math.max(maxDiff, Math.abs(row[key] - expected[t][key]));
  });
  return { inputs, backend: backend.kind, steps, reference: expected, maxDiff };
}

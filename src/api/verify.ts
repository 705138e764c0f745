import type { LSTM } from '../model/lstm.js';
import { referenceResult } from './runner.js';
import { createBackend, type BackendOptions } from './backend.js';
import { compareResults, type Tolerance, type VerifyReport } from './compare.js';
import type { ForwardOptions } from './forward-input.js';
import type { AdapterSummary } from '../gpu/context.js';

export interface VerifyOptions extends ForwardOptions {
  readonly tolerance?: Tolerance;
  /** How to reach the GPU (a caller's device, a GPU object); the backend is always WebGPU. */
  readonly gpu?: Omit<BackendOptions, 'prefer'>;
}

/**
 * Runs the model on WebGPU and on the float64 CPU reference and reports the largest absolute and
 * relative errors of output, h_n and c_n, with the worst element's position.
 *
 * @example
 * const report = await verify(model, x, { steps: 100, batch: 4 });
 * if (!report.passed) console.log(report.output.worst);
 */
export async function verify(
  model: LSTM,
  x: ArrayLike<number>,
  options: VerifyOptions,
): Promise<VerifyReport & { adapter: AdapterSummary | null }> {
  const reference = referenceResult(model, x, options);
  const backend = await createBackend({ ...options.gpu, prefer: 'webgpu' });
  try {
    const runner = await backend.load(model);
    try {
      const actual = await runner.forward(x, options);
      return { ...compareResults(model.config, reference, actual, options.tolerance), adapter: backend.adapter };
    } finally {
      runner.dispose();
    }
  } finally {
    backend.dispose();
  }
}

import type { LSTM } from '../model/lstm.js';
import { referenceResult } from './runner.js';
import { createBackend, type Backend, type BackendOptions } from './backend.js';
import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';
import { compareResults, type Tolerance, type VerifyReport } from './compare.js';
import type { ForwardOptions } from './forward-input.js';
import type { AdapterSummary } from '../gpu/context.js';

export interface VerifyOptions extends ForwardOptions {
  readonly tolerance?: Tolerance;
  /** How to reach the GPU (a caller's device, a GPU object); the backend is always WebGPU. */
  readonly gpu?: Omit<BackendOptions, 'prefer'>;
  /**
   * An open WebGPU backend to run on (left open afterwards) instead of opening one: its device
   * has the model's kernels compiled already when it ran the model before, which saves the
   * compilation (2.3 s against 0.24 s measured on SwiftShader). `gpu` is then not used.
   */
  readonly backend?: Backend;
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
  if (options.backend !== undefined && options.backend?.kind !== 'webgpu') {
    throw invalidArgument(`options.backend: expected an open WebGPU backend, got ${options.backend === null || typeof options.backend !== 'object' ? describeValue(options.backend) : `a ${String(options.backend.kind)} backend`}`);
  }
  const backend = options.backend ?? (await createBackend({ ...options.gpu, prefer: 'webgpu' }));
  try {
    const runner = await backend.load(model);
    try {
      const actual = await runner.forward(x, options);
      return { ...compareResults(model.config, reference, actual, options.tolerance), adapter: backend.adapter };
    } finally {
      runner.dispose();
    }
  } finally {
    if (backend !== options.backend) backend.dispose();
  }
}

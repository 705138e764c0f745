import type { BackendResult } from '../../core/backend-runner.js';
import { popErrorScopes } from '../gpu-wait.js';
import { LstmError, limitExceeded } from '../../core/errors.js';
import type { GpuForwardResult } from '../../core/gpu-buffer.js';
import type { PreparedInput } from '../../core/prepared-input.js';
import type { LstmConfig } from '../../model/config.js';
import { encodeCopies, encodeDispatches } from '../encode.js';
import type { ForwardLimits } from '../limits.js';
import { BufferSet } from '../memory.js';
import { unpackResults } from '../readback.js';
import type { ShapeResources } from '../shape-resources.js';
import { callViolation, describeViolation } from '../split/fit.js';
import { checkInputBuffer, encodeInput, encodeOutputs, ioKernels } from './resident.js';

/** What a resident call needs of its runner (src/gpu/runner.ts). */
export interface ResidentHost {
  readonly device: GPUDevice;
  readonly config: LstmConfig;
  readonly limits: ForwardLimits;
  /** The shape's compiled kernels, and a function that returns its cached or new working set. */
  shapeMaker(input: PreparedInput): Promise<() => ShapeResources>;
  /** Drops a working set that failed. */
  evict(shape: ShapeResources): void;
  readBack(shape: ShapeResources): Promise<Float32Array>;
}

/**
 * One forward call whose x is a GPUBuffer (x non-null; input.x is then empty) or whose results stay
 * on the GPU (output 'gpu'), in one submit. It runs whole: a call past the device's limits is
 * LIMIT_EXCEEDED, since splitting it would bring the data through the CPU. The caller's x is only
 * read by the submitted work: it may be rewritten or destroyed once the call resolves.
 */
export async function residentCall(host: ResidentHost, input: PreparedInput, x: GPUBuffer | null, output: 'cpu' | 'gpu'): Promise<BackendResult | GpuForwardResult> {
  const { device, config } = host;
  const violation = callViolation(config, host.limits, device.limits.minUniformBufferOffsetAlignment, input.steps, input.batch, input.trace);
  if (violation) throw limitExceeded(`${describeViolation(violation, 'forward')}; a call with x or the results on the GPU runs whole, so pass x as numbers or read the results back`);
  if (x) checkInputBuffer(config, x, input.steps, input.batch);
  const [makeShape, kernels] = await Promise.all([host.shapeMaker(input), ioKernels(device)]);
  const temp = new BufferSet(device, 'resident call');
  let shape: ShapeResources | undefined;
  let results: GpuForwardResult['output'][] = [];
  // As in the runner: nothing between push and pop may await (error scopes belong to the device).
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  try {
    shape = makeShape();
    shape.writeInputs(device.queue, input); // x is empty when it comes as a GPUBuffer
    const encoder = device.createCommandEncoder({ label: 'lstm forward (resident)' });
    if (x) encodeInput(device, encoder, temp, kernels, config, shape, x);
    encodeDispatches(encoder, shape.commands.label, shape.commands.dispatches);
    if (output === 'gpu') results = encodeOutputs(device, encoder, temp, kernels, config, shape);
    else encodeCopies(encoder, shape.commands);
    device.queue.submit([encoder.finish()]);
  } finally {
    temp.destroy(); // freed once the submitted work is done
    const [validation, outOfMemory] = await popErrorScopes(device);
    if (validation ?? outOfMemory) for (const result of results) result.buffer.destroy();
    if (validation && x && shape) {
      throw new LstmError('INVALID_ARGUMENT', `x: the GPU refused the GPUBuffer given as x (one of another device, or destroyed): ${validation.message}`);
    }
    if (validation ?? outOfMemory) {
      if (shape) host.evict(shape);
      throw new LstmError('GPU_ERROR', `forward: the GPU rejected the work (T=${input.steps}, B=${input.batch}): ${(validation ?? outOfMemory)!.message}`);
    }
  }
  const done = shape!; // assigned: the try block completed
  const stats = { backend: 'webgpu' as const, dispatches: done.commands.dispatches.length, submits: 1, readbacks: output === 'gpu' ? 0 : 1 };
  if (output === 'gpu') return { output: results[0], hN: results[1], cN: results[2], stats };
  return { ...unpackResults(config, done.readback, await host.readBack(done)), stats };
}

import { inputProjectionKernel } from './kernels/input-projection.js';
import { kTileSizes, type BatchTile } from './kernels/lstm-sequence.js';
import { recurrenceKernel } from './kernels/recurrence.js';
import { getKernel, readyKernel } from './pipeline-cache.js';
import type { RecurrencePath } from './plan.js';
import type { ShapeKernels } from './shape-resources.js';

/** The kernels a call runs, and the path they were compiled for (its tile may differ from the ideal one). */
export interface KernelChoice {
  readonly path: RecurrencePath;
  readonly kernels: ShapeKernels;
}

/**
 * The compiled kernels for a call on `ideal`, without waiting for a compilation a call need not wait
 * for. The sequence kernel's batch tile is a pipeline constant (a tile read from a uniform ran 2.2×
 * slower at (B, T, I, H) = (1, 100, 32, 128) on SwiftShader), so a new batch size can want a
 * pipeline not compiled yet. Every tile computes each sequence with the same operations in the same
 * order (a tile only decides which sequences share a workgroup), so any compiled tile gives the same
 * bits: the call runs on the compiled tile nearest below the ideal one (else above it) while the ideal
 * one compiles in the background, and later calls take it once it is ready. With no tile compiled
 * yet, the call waits for tile 1, the quickest to compile (its workgroup memory is smallest).
 */
export async function chooseKernels(device: GPUDevice, ideal: RecurrencePath, trace: boolean): Promise<KernelChoice> {
  const projection = getKernel(device, inputProjectionKernel);
  if (ideal.kind === 'steps') {
    const [p, recurrence] = await Promise.all([projection, getKernel(device, recurrenceKernel(ideal, trace))]);
    return { path: ideal, kernels: { projection: p, recurrence } };
  }
  const withTile = (batchTile: BatchTile): RecurrencePath => ({ ...ideal, batchTile });
  const idealKernel = readyKernel(device, recurrenceKernel(ideal, trace));
  if (idealKernel) return { path: ideal, kernels: { projection: await projection, recurrence: idealKernel } };
  getKernel(device, recurrenceKernel(ideal, trace)).catch(() => undefined); // a later call reports any failure
  const below = kTileSizes.filter((tile) => tile < ideal.batchTile);
  const above = kTileSizes.filter((tile) => tile > ideal.batchTile).reverse();
  for (const tile of [...below, ...above]) {
    const recurrence = readyKernel(device, recurrenceKernel(withTile(tile), trace));
    if (recurrence) return { path: withTile(tile), kernels: { projection: await projection, recurrence } };
  }
  const smallest = withTile(1);
  const [p, recurrence] = await Promise.all([projection, getKernel(device, recurrenceKernel(smallest, trace))]);
  return { path: smallest, kernels: { projection: p, recurrence } };
}

/** Compiles the kernels `path` names (the ideal tile included), in parallel; resolves when all are ready. */
export async function compileKernels(device: GPUDevice, path: RecurrencePath, trace: boolean): Promise<void> {
  await Promise.all([getKernel(device, inputProjectionKernel), getKernel(device, recurrenceKernel(path, trace))]);
}

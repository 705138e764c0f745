import { inputProjectionKernel } from './kernels/input-projection.js';
import { kTileSizes } from './kernels/lstm-sequence.js';
import { recurrenceKernel } from './kernels/recurrence.js';
import { getKernel, readyKernel } from './pipeline-cache.js';
import type { RecurrencePath } from './plan.js';
import type { ShapeKernels } from './shape-resources.js';
import { kPlainVariants, type KernelVariants } from './variants.js';

/** The kernels a call runs, and the path they were compiled for (its tile may differ from the ideal one). */
export interface KernelChoice {
  readonly path: RecurrencePath;
  readonly kernels: ShapeKernels;
}

/**
 * The compiled kernels for a call on `ideal`, without waiting for a compilation the call can do
 * without. The sequence kernel's batch tile is a pipeline constant (a tile read from a uniform ran
 * 2.2× slower at (B, T, I, H) = (1, 100, 32, 128) on SwiftShader), so a new batch size can want a
 * pipeline not compiled yet. Every tile computes each sequence with the same operations in the same
 * order (a tile only decides which sequences share a workgroup), so any tile gives the same bits.
 * A compiled tile within a factor of 2 of the ideal one runs the call (nearest below first) while
 * the ideal one compiles in the background for later calls; one further off would cost more than
 * the compile it saves (tile 1 instead of 8 made a first call at (64, 100, 32, 128) 3× slower than
 * a steady one on SwiftShader), so the call waits for the ideal tile.
 */
export async function chooseKernels(device: GPUDevice, ideal: RecurrencePath, trace: boolean, variants: KernelVariants = kPlainVariants): Promise<KernelChoice> {
  const projection = getKernel(device, inputProjectionKernel());
  const wanted = getKernel(device, recurrenceKernel(ideal, trace, variants));
  if (ideal.kind === 'sequence' && !readyKernel(device, recurrenceKernel(ideal, trace, variants))) {
    wanted.catch(() => undefined); // awaited by a later call, which reports any failure
    // The half-size tile first (more workgroups), then the double-size one.
    const near = [...kTileSizes.filter((tile) => tile * 2 === ideal.batchTile), ...kTileSizes.filter((tile) => tile === ideal.batchTile * 2)];
    for (const tile of near) {
      const path: RecurrencePath = { ...ideal, batchTile: tile };
      const recurrence = readyKernel(device, recurrenceKernel(path, trace, variants));
      if (recurrence) return { path, kernels: { projection: await projection, recurrence } };
    }
  }
  const [p, recurrence] = await Promise.all([projection, wanted]);
  return { path: ideal, kernels: { projection: p, recurrence } };
}

/** Compiles the kernels `path` names (the ideal tile included), in parallel; resolves when all are ready. */
export async function compileKernels(device: GPUDevice, path: RecurrencePath, trace: boolean, variants: KernelVariants = kPlainVariants): Promise<void> {
  await Promise.all([getKernel(device, inputProjectionKernel()), getKernel(device, recurrenceKernel(path, trace, variants))]);
}

// The adapter's roofline: its FMA peak and a GEMM yardstick, measured with the bench's own kernels
// on a device of their own, and the library's input projection on a large square product.
import { measureFmaPeak } from './fma.js';
import { measureGemm } from './gemm.js';
import { openTimingDevice } from './gpu-timer.js';
import { measureLibraryProjection } from './library-projection.js';

/**
 * @param {any} lib the library's API
 * @param {{ fmaTargetMs: number, gemmSize: number, repeats: number }} config
 */
export async function measureRoofline(lib, config) {
  const gpu = await openTimingDevice();
  let fma;
  let gemm;
  try {
    fma = await measureFmaPeak(gpu, { targetMs: config.fmaTargetMs, repeats: config.repeats });
    gemm = await measureGemm(gpu, { size: config.gemmSize, repeats: config.repeats });
  } finally {
    gpu.device.destroy();
  }
  const library_projection = await measureLibraryProjection(lib, { size: config.gemmSize, repeats: config.repeats });
  return { timestamp_query: gpu.timestamps, fma, gemm, library_projection };
}

/** The FMA peak alone, measured again (at the end of a run, the best of both is the peak). */
export async function measureFmaAgain(config) {
  const gpu = await openTimingDevice();
  try {
    return await measureFmaPeak(gpu, { targetMs: config.fmaTargetMs, repeats: config.repeats });
  } finally {
    gpu.device.destroy();
  }
}

// The library's own input-projection GEMM, measured from outside through the public API: two
// forward calls that differ only in the input width I (T = 1, B = n, H = n/4, so the projection is
// an n × n × n product when I = n). The difference of their times is the projection of the extra
// columns, upload of the wider x included; the recurrent step is the same in both and cancels.

const kNarrowInput = 8;

/** Best time of `repeats` forward calls after one warm-up. */
async function bestForwardMs(lib, batch, inputSize, hiddenSize, repeats) {
  const backend = await lib.createBackend({ prefer: 'webgpu' });
  const runner = await backend.load(lib.LSTM.random({ inputSize, hiddenSize, seed: 7 }));
  try {
    const x = new Float32Array(batch * inputSize).map((_, i) => ((i * 7919) % 2000) / 1000 - 1);
    const options = { steps: 1, batch };
    await runner.forward(x, options);
    let best = Infinity;
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      await runner.forward(x, options);
      best = Math.min(best, performance.now() - start);
    }
    return best;
  } finally {
    runner.dispose();
    backend.dispose();
  }
}

/** @param {any} lib @param {{ size: number, repeats: number }} config */
export async function measureLibraryProjection(lib, config) {
  const n = config.size;
  const H = n / 4;
  const wideMs = await bestForwardMs(lib, n, n, H, config.repeats);
  const narrowMs = await bestForwardMs(lib, n, kNarrowInput, H, config.repeats);
  const flops = 2 * n * 4 * H * (n - kNarrowInput);
  const ms = wideMs - narrowMs;
  return { size: n, wide_ms: wideMs, narrow_ms: narrowMs, flops, gflops: ms > 0 ? flops / ms / 1e6 : null };
}

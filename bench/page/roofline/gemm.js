// GEMM yardstick: the kernels of gemm-kernel.js on an n×n×n product, each checked on sampled
// entries; the best of several runs of the fastest block is the figure.
import { gemmKernel, kGemmBlocks } from './gemm-kernel.js';
import { compilePipeline, timeDispatch } from './gpu-timer.js';

/** Uniform values in [-1, 1) from a small LCG. @param {number} n @param {number} seed */
function seeded(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

async function readBack(device, buffer, bytes) {
  const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const data = new Float32Array(staging.getMappedRange().slice(0));
  staging.destroy();
  return data;
}

/** Largest error of 64 sampled entries of C against a float64 dot product. */
function sampledError(a, b, c, n) {
  let worst = 0;
  for (let s = 0; s < 64; s++) {
    const i = (s * 7919) % n;
    const j = (s * 104729) % n;
    let sum = 0;
    for (let k = 0; k < n; k++) sum += a[i * n + k] * b[k * n + j];
    const err = Math.abs(sum - c[i * n + j]);
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
  }
  return worst;
}

/** Times one register block: best of `repeats` dispatches after one warm-up. */
async function timeBlock(gpu, buffers, n, [rows, quads], repeats) {
  const kernel = gemmKernel(rows, quads);
  const pipeline = await compilePipeline(gpu.device, kernel.code, `gemm ${rows}×${4 * quads}`);
  const bindGroup = gpu.device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const samples = [];
  for (let i = 0; i <= repeats; i++) samples.push(await timeDispatch(gpu, pipeline, bindGroup, kernel.workgroups(n)));
  samples.shift();
  const best = (key) => Math.min(...samples.map((s) => s[key] ?? Infinity));
  return { block: `${rows}×${4 * quads}`, wallMs: best('wallMs'), gpuMs: best('gpuMs') };
}

/**
 * @param {{ device: GPUDevice, timestamps: boolean }} gpu
 * @param {{ size: number, repeats: number }} config size: a multiple of 128
 */
export async function measureGemm(gpu, config) {
  const { device } = gpu;
  const n = config.size;
  const a = seeded(n * n, 1);
  const b = seeded(n * n, 2);
  const matrix = (usage, data) => {
    const buffer = device.createBuffer({ size: n * n * 4, usage: usage | GPUBufferUsage.COPY_DST });
    if (data) device.queue.writeBuffer(buffer, 0, data);
    return buffer;
  };
  const dims = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(dims, 0, Uint32Array.of(n, n, n, 0));
  const buffers = [dims, matrix(GPUBufferUsage.STORAGE, a), matrix(GPUBufferUsage.STORAGE, b), matrix(GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC)];
  const flops = 2 * n * n * n;
  const blocks = [];
  let worstErr = 0;
  for (const block of kGemmBlocks) {
    const timing = await timeBlock(gpu, buffers, n, block, config.repeats);
    worstErr = Math.max(worstErr, sampledError(a, b, await readBack(device, buffers[3], n * n * 4), n));
    blocks.push({ block: timing.block, gflops: flops / timing.wallMs / 1e6, gflops_gpu_timestamps: Number.isFinite(timing.gpuMs) ? flops / timing.gpuMs / 1e6 : null });
  }
  buffers.forEach((buffer) => buffer.destroy());
  const best = blocks.reduce((x, y) => (y.gflops > x.gflops ? y : x));
  return { size: n, flops, best_block: best.block, gflops: best.gflops, gflops_gpu_timestamps: best.gflops_gpu_timestamps, blocks, max_abs_err_sampled: worstErr };
}

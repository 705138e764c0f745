// FMA peak: the register-only kernel of fma.wgsl, its loop count grown until one dispatch lasts long
// enough to time, best of several dispatches.
import { loadPipeline, timeDispatch } from './gpu-timer.js';

const kWorkgroups = 256;
const kInvocations = kWorkgroups * 64;
const kFlopsPerIteration = 8 * 4 * 2; // eight vec4 FMAs, two FLOPs per lane

/**
 * @param {{ device: GPUDevice, timestamps: boolean }} gpu
 * @param {{ targetMs: number, repeats: number }} config
 */
export async function measureFmaPeak(gpu, config) {
  const { device } = gpu;
  const pipeline = await loadPipeline(device, 'fma.wgsl');
  const params = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const sink = device.createBuffer({ size: kInvocations * 16, usage: GPUBufferUsage.STORAGE });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: params } }, { binding: 1, resource: { buffer: sink } }],
  });
  const run = (iterations) => {
    device.queue.writeBuffer(params, 0, Uint32Array.of(iterations, 0, 0, 0));
    return timeDispatch(gpu, pipeline, bindGroup, [kWorkgroups, 1, 1]);
  };
  let iterations = 64;
  let last = await run(iterations);
  while (last.wallMs < config.targetMs / 4 && iterations < 1 << 24) {
    iterations *= 4;
    last = await run(iterations);
  }
  iterations = Math.max(iterations, Math.round((iterations * config.targetMs) / Math.max(last.wallMs, 1e-3)));
  const samples = [];
  for (let i = 0; i < config.repeats; i++) samples.push(await run(iterations));
  params.destroy();
  sink.destroy();
  const flops = kInvocations * iterations * kFlopsPerIteration;
  const best = (key) => Math.min(...samples.map((s) => s[key] ?? Infinity));
  const gpuMs = best('gpuMs');
  return {
    invocations: kInvocations,
    iterations,
    flops,
    best_wall_ms: best('wallMs'),
    gflops: flops / best('wallMs') / 1e6,
    gflops_gpu_timestamps: Number.isFinite(gpuMs) ? flops / gpuMs / 1e6 : null,
  };
}

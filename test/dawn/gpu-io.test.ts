import './dawn-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import type { GpuTensor } from '../../src/core/gpu-buffer.js';
import { LSTM } from '../../src/model/lstm.js';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { loadTorchCase, maxAbsDiff } from '../support/fixtures.js';
import { openDawn } from './dawn-env.js';

// forward with x as a GPUBuffer and/or results left on the GPU, on Dawn. Expected values: the
// torch.nn.LSTM fixtures, and the same call with numbers in and out (the same kernels on the same
// float32 inputs: the same bits).

const [STORAGE, COPY_SRC, COPY_DST, MAP_READ, MAP_WRITE] = [0x80, 0x04, 0x08, 0x01, 0x02];
let backend: NodeBackend;
beforeAll(async () => {
  backend = await openDawn();
});
afterAll(async () => {
  await backend?.close();
});

function upload(device: GPUDevice, values: ArrayLike<number>, usage = STORAGE | COPY_SRC | COPY_DST): GPUBuffer {
  const buffer = device.createBuffer({ size: Math.max(4, values.length * 4), usage });
  device.queue.writeBuffer(buffer, 0, Float32Array.from(values));
  return buffer;
}

async function download(device: GPUDevice, tensor: GpuTensor): Promise<Float32Array> {
  const floats = tensor.shape.reduce((a, b) => a * b, 1);
  const staging = device.createBuffer({ size: floats * 4, usage: MAP_READ | COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(tensor.buffer, 0, staging, 0, floats * 4);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(1);
  const data = new Float32Array(staging.getMappedRange().slice(0));
  staging.destroy();
  return data;
}

const wave = (n: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(0.37 * i + 0.1));

describe('GPU-resident input and output', () => {
  it('h128_t100: x as a GPUBuffer, results as GPUBuffers, match the torch fixture and the numbers path bit for bit', async () => {
    const device = backend.device!;
    const c = loadTorchCase('h128_t100');
    const runner = await backend.load(c.model);
    const x = upload(device, c.input.x);
    const onGpu = await runner.forward(x, { ...c.input.options, output: 'gpu' });
    expect(onGpu.stats).toMatchObject({ submits: 1, readbacks: 0 });
    expect(onGpu.output.shape).toEqual(c.expected.output.shape);
    const [output, hN, cN] = await Promise.all([download(device, onGpu.output), download(device, onGpu.hN), download(device, onGpu.cN)]);
    expect(maxAbsDiff(output, c.expected.output.data)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(hN, c.expected.hN.data)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(cN, c.expected.cN.data)).toBeLessThanOrEqual(1e-5);
    const numbers = await runner.forward(c.input.x, c.input.options);
    expect(Array.from(output)).toEqual(Array.from(numbers.output.data));
    expect(Array.from(cN)).toEqual(Array.from(numbers.cN.data));
    const fromGpuX = await runner.forward(x, c.input.options); // numbers out
    expect(Array.from(fromGpuX.output.data)).toEqual(Array.from(numbers.output.data));
    for (const t of [onGpu.output, onGpu.hN, onGpu.cN]) t.buffer.destroy();
    x.destroy();
    runner.dispose();
  });

  it('a batchFirst, bidirectional, 2-layer model: [B, T, I] in and [B, T, 2H] out on the GPU', async () => {
    const device = backend.device!;
    const [T, B, I, H] = [7, 3, 5, 6];
    const model = LSTM.random({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, batchFirst: true, seed: 3 });
    const runner = await backend.load(model);
    const xs = wave(B * T * I);
    const h0 = wave(4 * B * H).map((v) => 0.3 * v);
    const numbers = await runner.forward(xs, { steps: T, batch: B, h0 });
    const x = upload(device, xs, STORAGE | COPY_DST); // no COPY_SRC: a batch-first x is read by a kernel
    const onGpu = await runner.forward(x, { steps: T, batch: B, h0, output: 'gpu' });
    expect(onGpu.output.shape).toEqual([B, T, 2 * H]);
    expect(Array.from(await download(device, onGpu.output))).toEqual(Array.from(numbers.output.data));
    expect(Array.from(await download(device, onGpu.hN))).toEqual(Array.from(numbers.hN.data));
    for (const t of [onGpu.output, onGpu.hN, onGpu.cN]) t.buffer.destroy();
    runner.dispose();
  });

  it('refuses a wrong buffer with INVALID_ARGUMENT naming x, and carries on', async () => {
    const device = backend.device!;
    const runner = await backend.load(LSTM.random({ inputSize: 4, hiddenSize: 8, seed: 1 }));
    const options = { steps: 3, batch: 2 };
    const xs = wave(24);
    const reject = (x: GPUBuffer, message: RegExp) => expect(runner.forward(x, options)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) });
    await reject(upload(device, wave(20)), /^x: expected a GPUBuffer of at least 96 bytes \(float32 \[3, 2, 4\]\), got one of 80 bytes$/);
    await reject(upload(device, xs, STORAGE | COPY_DST), /^x: expected a GPUBuffer with COPY_SRC usage/);
    const mapped = device.createBuffer({ size: 96, usage: MAP_WRITE | COPY_SRC, mappedAtCreation: true });
    await reject(mapped, /^x: expected an unmapped GPUBuffer, got one whose mapState is "mapped"/);
    const destroyed = upload(device, xs);
    destroyed.destroy();
    await reject(destroyed, /^x: the GPU refused the GPUBuffer given as x \(one of another device, or destroyed\)/);
    const other = await openDawn();
    try {
      await reject(upload(other.device!, xs), /^x: the GPU refused the GPUBuffer given as x/);
    } finally {
      await other.close();
    }
    await expect(runner.forward(xs, { ...options, output: 'gpu', trace: true })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/trace: true needs output 'cpu'/) });
    await expect(runner.forward(xs, { ...options, output: 'host' as 'cpu' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: `options.output: expected 'cpu' or 'gpu', got "host"` });
    const good = upload(device, xs);
    expect((await runner.forward(good, options)).output.shape).toEqual([3, 2, 8]);
    const cpu = await (await createBackend({ prefer: 'cpu' })).load(runner.model);
    await expect(cpu.forward(good, options)).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE', message: expect.stringMatching(/x as a GPUBuffer needs the webgpu backend/) });
    runner.dispose();
  });
});

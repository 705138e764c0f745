import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserSession } from '../../src/node/chromium/browser-session.js';
import { kTorchCasesDir, loadTorchCase, maxAbsDiff } from '../support/fixtures.js';
import { openGpuSession } from '../support/gpu-session.js';
import { chunkSizes } from '../support/stream-case.js';

// Streaming and GPU-resident forward calls in the page (Chromium's WebGPU on SwiftShader), where
// apps run them. Expected values: the float64 torch.nn.LSTM fixture, 1e-5 as the forward tests.

type Lib = typeof import('../../src/index.js');
let session: BrowserSession;
beforeAll(async () => {
  ({ session } = await openGpuSession());
});
afterAll(async () => {
  await session?.close();
});

describe('in the page', () => {
  it('two_layer streamed in uneven chunks equals the torch fixture; x and results as GPUBuffers too; wrong buffers are INVALID_ARGUMENT', async () => {
    const c = loadTorchCase('two_layer');
    const modelJson = JSON.parse(readFileSync(join(kTorchCasesDir, 'two_layer.json'), 'utf8'));
    const { steps: T, batch: B } = c.input.options;
    const reply = await session.page.evaluate(
      async (json: unknown, xs: number[], T: number, B: number, chunks: number[]) => {
        const lib = (window as unknown as { webgpuLstm: Lib }).webgpuLstm;
        const backend = await lib.createBackend({ prefer: 'webgpu' });
        const model = lib.modelFromJSON(json as Parameters<Lib['modelFromJSON']>[0]);
        const runner = await backend.load(model);
        const I = model.config.inputSize;
        const stream = runner.stream({ batch: B });
        const streamed: number[] = [];
        let t = 0;
        for (const k of chunks) {
          const { output } = await stream.push(xs.slice(t * B * I, (t + k) * B * I), k);
          streamed.push(...output.data);
          t += k;
        }
        const state = await stream.state();
        stream.dispose();
        const device = backend.device!;
        const [STORAGE, COPY_SRC, COPY_DST, MAP_READ] = [0x80, 0x04, 0x08, 0x01];
        const upload = (target: GPUDevice) => {
          const buffer = target.createBuffer({ size: xs.length * 4, usage: STORAGE | COPY_SRC | COPY_DST });
          target.queue.writeBuffer(buffer, 0, Float32Array.from(xs));
          return buffer;
        };
        const onGpu = await runner.forward(upload(device), { steps: T, batch: B, output: 'gpu' });
        const staging = device.createBuffer({ size: onGpu.output.buffer.size, usage: MAP_READ | COPY_DST });
        const encoder = device.createCommandEncoder();
        encoder.copyBufferToBuffer(onGpu.output.buffer, 0, staging, 0, staging.size);
        device.queue.submit([encoder.finish()]);
        await staging.mapAsync(1);
        const resident = Array.from(new Float32Array(staging.getMappedRange().slice(0)));
        const refusal = async (x: GPUBuffer) => {
          try {
            await runner.forward(x, { steps: T, batch: B });
            return 'accepted';
          } catch (error) {
            return `${(error as { code?: string }).code}: ${(error as Error).message.slice(0, 70)}`;
          }
        };
        const destroyed = upload(device);
        destroyed.destroy();
        const otherDevice = await (await navigator.gpu.requestAdapter())!.requestDevice();
        const refusals = [await refusal(destroyed), await refusal(upload(otherDevice))];
        runner.dispose();
        backend.dispose();
        return { streamed, hN: Array.from(state.hN.data), cN: Array.from(state.cN.data), resident, refusals };
      },
      modelJson, Array.from(c.input.x), T, B, chunkSizes(T),
    );
    expect(maxAbsDiff(reply.streamed, c.expected.output.data)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(reply.hN, c.expected.hN.data)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(reply.cN, c.expected.cN.data)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(reply.resident, c.expected.output.data)).toBeLessThanOrEqual(1e-5);
    for (const refusal of reply.refusals) expect(refusal).toMatch(/^INVALID_ARGUMENT: x: the GPU refused the GPUBuffer given as x/);
  });
});

import './dawn-env.js';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeAdapter } from '../../src/gpu/context.js';
import { BufferUsage } from '../../src/gpu/flags.js';
import { gpuWait } from '../../src/gpu/gpu-wait.js';
import { dawnGpu } from '../../src/node/dawn/gpu.js';
import { createNodeBackend } from '../../src/node/node-backend.js';
import { randomCase } from '../support/random-case.js';

/** The process's own setImmediate, before the library is used (vitest's worker has its own). */
const kOwnImmediate = globalThis.setImmediate;

// Dawn's Node bindings poll for events with back-to-back setImmediate ticks while a promise is
// pending; on a software adapter that spins a core the adapter computes on, so dawnGpu paces the
// ticks (src/node/dawn/event-pacing.ts). Counted here: the ticks Dawn schedules while one long
// dispatch runs, and that everyone else's setImmediate still runs on the next turn.

// A dispatch that runs for a while on any adapter: 64 invocations, each a long dependent FMA chain.
const kBusyKernel = `
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  var a = f32(id.x);
  for (var i = 0u; i < 200000u; i++) { a = fma(a, 1.0001, 0.5); }
  out[id.x] = a;
}`;

let device: GPUDevice;
let software = false;
beforeAll(async () => {
  const adapter = (await (await dawnGpu()).requestAdapter())!;
  software = summarizeAdapter(adapter.info, adapter.features).isSoftware;
  device = await adapter.requestDevice();
});
afterAll(() => device?.destroy());

/** Runs the busy kernel once; resolves with its wall time and the ticks Dawn scheduled meanwhile. */
async function busyDispatch(): Promise<{ ms: number; ticks: number }> {
  const module = device.createShaderModule({ code: kBusyKernel });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const buffer = device.createBuffer({ size: 64 * 4, usage: BufferUsage.STORAGE });
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer } }] });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(64);
  pass.end();
  // Counts what Dawn hands to setImmediate (it looks the function up on every tick), from inside a
  // library wait, where the paced form is the one installed.
  let ticks = 0;
  try {
    const start = performance.now();
    device.queue.submit([encoder.finish()]);
    await gpuWait(async () => {
      const paced = globalThis.setImmediate;
      globalThis.setImmediate = ((callback: (...args: unknown[]) => void, ...args: unknown[]) => {
        if (Function.prototype.toString.call(callback) === 'function () { [native code] }') ticks += 1;
        return paced(callback, ...args);
      }) as typeof setImmediate;
      try {
        await device.queue.onSubmittedWorkDone();
      } finally {
        globalThis.setImmediate = paced;
      }
    });
    return { ms: performance.now() - start, ticks };
  } finally {
    buffer.destroy();
  }
}

describe('Dawn event pacing', () => {
  it('on a software adapter, polls about once a millisecond during a long wait instead of spinning', async () => {
    expect(software, 'these tests run Dawn on SwiftShader (CI has no GPU)').toBe(true);
    const { ms, ticks } = await busyDispatch();
    console.log(`busy dispatch: ${ms.toFixed(0)} ms, ${ticks} Dawn ticks`);
    expect(ms).toBeGreaterThan(50);
    // Spinning ran a tick every few microseconds (tens of thousands over such a wait); paced, at
    // most one per timer millisecond after the first 2 ms of spinning.
    expect(ticks).toBeLessThan(ms * 1.5 + 2000);
  });

  it('passes every other setImmediate callback through to the next turn of the event loop', async () => {
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      setTimeout(() => {
        order.push('timeout');
        resolve();
      }, 5);
      setImmediate(() => order.push('immediate'));
    });
    expect(order).toEqual(['immediate', 'timeout']);
    // util.promisify(setImmediate) keeps working (Node's custom form is carried over).
    expect(await promisify(setImmediate)('value')).toBe('value');
  });
});

describe('the pacing is scoped to the library\'s own waits', () => {
  it('leaves the process\'s setImmediate as it was, after Dawn opened and a forward call ran', async () => {
    const backend = await createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
    const { model, x, options } = randomCase({ inputSize: 3, hiddenSize: 4, steps: 5, batch: 2, seed: 3 });
    const runner = await backend.load(model);
    await runner.forward(x, options);
    runner.dispose();
    await backend.close();
    expect(backend.adapter!.isSoftware, 'pacing is installed on a software adapter (CI has no GPU)').toBe(true);
    expect(globalThis.setImmediate).toBe(kOwnImmediate);
  });

  it('paces during a library wait, and puts back what was there when it ends (also after a rejection)', async () => {
    await dawnGpu();
    let inside: typeof setImmediate | null = null;
    await gpuWait(async () => {
      inside = globalThis.setImmediate;
    });
    expect(inside).not.toBe(kOwnImmediate);
    expect(globalThis.setImmediate).toBe(kOwnImmediate);
    await expect(gpuWait(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(globalThis.setImmediate).toBe(kOwnImmediate);
  });
});

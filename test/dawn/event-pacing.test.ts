import './dawn-env.js';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeAdapter } from '../../src/gpu/context.js';
import { BufferUsage } from '../../src/gpu/flags.js';
import { dawnGpu } from '../../src/node/dawn/gpu.js';

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
  // Counts what Dawn hands to setImmediate (it looks the function up on every tick).
  const paced = globalThis.setImmediate;
  let ticks = 0;
  globalThis.setImmediate = ((callback: (...args: unknown[]) => void, ...args: unknown[]) => {
    if (Function.prototype.toString.call(callback) === 'function () { [native code] }') ticks += 1;
    return paced(callback, ...args);
  }) as typeof setImmediate;
  try {
    const start = performance.now();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    return { ms: performance.now() - start, ticks };
  } finally {
    globalThis.setImmediate = paced;
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

import { afterAll, beforeAll } from 'vitest';
import * as lib from '../../src/index.js';
import type { NodeBackend } from '../../src/node/node-backend.js';
import { bufferTracking, type GpuClasses } from './buffer-tracking.js';
import { createKit, type PageKit, type ScenarioRunner } from './kit.js';

/**
 * The scenario kit (kit.ts) in this process, on a Dawn device, with buffers tracked through Dawn's
 * own WebGPU classes (the `webgpu` package's `globals`).
 */
export async function dawnKit(device: GPUDevice): Promise<PageKit> {
  const { globals } = (await import('webgpu')) as unknown as { globals: GpuClasses };
  return createKit(lib, bufferTracking(globals), device);
}

/**
 * One Dawn kit for a test file, the counterpart of page-kit.ts's useKitSession and inPage: `open`
 * (test/dawn/dawn-env.ts's openDawn, which fails with the reason and the fix where Dawn has no
 * adapter) runs before the file's tests, its backend closes after them; scenarios run directly.
 */
export function useDawnKit(open: () => Promise<NodeBackend>): ScenarioRunner {
  let dawn: NodeBackend | undefined;
  let kit: PageKit;
  beforeAll(async () => {
    dawn = await open();
    kit = await dawnKit(dawn.device!);
  });
  afterAll(async () => {
    await dawn?.close();
  });
  return (scenario, spec) => scenario(kit, spec);
}

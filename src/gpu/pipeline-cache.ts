import { bindGroupLayoutDescriptor, kernelKey, type KernelSpec } from './kernels/kernel.js';
import { gpuWait } from './gpu-wait.js';

export interface CompiledKernel {
  /** What it was built from: its bindings name the resources of its bind groups. */
  readonly spec: KernelSpec;
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

/**
 * Pipelines per device, keyed by the spec that builds them. The promise is stored, so concurrent
 * callers asking for the same kernel share one compilation.
 */
const cache = new WeakMap<GPUDevice, Map<string, Promise<CompiledKernel>>>();
/** The pipelines whose compilation has finished, per device: what a call can use without waiting. */
const ready = new WeakMap<GPUDevice, Map<string, CompiledKernel>>();

/** The compiled kernel of `spec` if its compilation has finished; undefined otherwise (nothing is started). */
export function readyKernel(device: GPUDevice, spec: KernelSpec): CompiledKernel | undefined {
  return ready.get(device)?.get(kernelKey(spec));
}

export function getKernel(device: GPUDevice, spec: KernelSpec): Promise<CompiledKernel> {
  let perDevice = cache.get(device);
  if (!perDevice) {
    perDevice = new Map();
    cache.set(device, perDevice);
  }
  const key = kernelKey(spec);
  let compiled = perDevice.get(key);
  if (!compiled) {
    compiled = compile(device, spec);
    perDevice.set(key, compiled);
    compiled.then(
      (kernel) => {
        if (!ready.has(device)) ready.set(device, new Map());
        ready.get(device)!.set(key, kernel);
      },
      () => perDevice.delete(key),
    );
  }
  return compiled;
}

async function compile(device: GPUDevice, spec: KernelSpec): Promise<CompiledKernel> {
  const layout = device.createBindGroupLayout(bindGroupLayoutDescriptor(spec));
  const module = device.createShaderModule({ label: spec.name, code: spec.source });
  const pipeline = await gpuWait(() => device.createComputePipelineAsync({
    label: kernelKey(spec),
    layout: device.createPipelineLayout({ label: spec.name, bindGroupLayouts: [layout] }),
    // WebGPU passes every override as a number; a bool override is true for any non-zero value.
    compute: { module, entryPoint: spec.entryPoint, constants: numericConstants(spec.constants) },
  }));
  return { spec, pipeline, layout };
}

function numericConstants(constants: KernelSpec['constants']): Record<string, number> {
  return Object.fromEntries(Object.entries(constants).map(([name, value]) => [name, Number(value)]));
}

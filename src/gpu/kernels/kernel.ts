/** How a kernel's binding is declared in WGSL; the TS side builds its explicit layout from this. */
export interface BindingSpec {
  /** The WGSL variable name (checked against the shader source in a unit test). */
  readonly name: string;
  readonly type: 'uniform' | 'read-only-storage' | 'storage';
  /** Bound with a dynamic offset (per-step parameters selected without rewriting a buffer). */
  readonly dynamicOffset?: boolean;
}

/** A kernel's signature: its source, bindings (in @binding order) and pipeline-overridable constants. */
export interface KernelSpec {
  readonly name: string;
  readonly source: string;
  readonly entryPoint: string;
  readonly bindings: readonly BindingSpec[];
  readonly constants: Readonly<Record<string, number | boolean>>;
}

/** The cache key of a pipeline, derived from the same spec that builds it. */
export function kernelKey(spec: KernelSpec): string {
  const constants = Object.keys(spec.constants)
    .sort()
    .map((k) => [k, spec.constants[k]]);
  return `${spec.name}:${spec.entryPoint}:${JSON.stringify(constants)}`;
}

export function bindGroupLayoutDescriptor(spec: KernelSpec): GPUBindGroupLayoutDescriptor {
  return {
    label: `${spec.name} bind group layout`,
    entries: spec.bindings.map((binding, index) => ({
      binding: index,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type: binding.type, hasDynamicOffset: binding.dynamicOffset === true },
    })),
  };
}

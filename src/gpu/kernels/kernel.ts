import { ShaderStage } from '../flags.js';

/**
 * A WGSL uniform struct of u32 fields, in declaration order. The host writes it from named values
 * (packUniform), so no call site depends on the field order; a unit test checks the names and
 * their order against the struct in the WGSL source.
 */
export interface UniformStruct<F extends string = string> {
  /** The WGSL struct's name. */
  readonly name: string;
  readonly fields: readonly F[];
}

export function uniformStruct<const F extends string>(name: string, fields: readonly F[]): UniformStruct<F> {
  return { name, fields };
}

/** Bytes of one instance of the struct: 4 per u32 field. */
export function uniformBytes(struct: UniformStruct): number {
  return struct.fields.length * 4;
}

/** The struct's bytes, each field taken from `values` by name. */
export function packUniform<F extends string>(struct: UniformStruct<F>, values: Readonly<Record<F, number>>): Uint32Array<ArrayBuffer> {
  return Uint32Array.from(struct.fields, (field) => values[field]);
}

/** How a kernel's binding is declared in WGSL; the TS side builds its explicit layout from this. */
export type BindingSpec =
  | {
      /** The WGSL variable name (checked against the shader source in a unit test, with its access mode). */
      readonly name: string;
      /** `var<uniform>`. */
      readonly type: 'uniform';
      readonly struct: UniformStruct;
      /** Bound with a dynamic offset (per-step parameters selected without rewriting a buffer). */
      readonly dynamicOffset?: boolean;
    }
  | {
      readonly name: string;
      /** `var<storage, read>` and `var<storage, read_write>`. */
      readonly type: 'read-only-storage' | 'storage';
    };

/**
 * A kernel's whole contract with its WGSL: source, entry point, bindings (in @binding order, with
 * access modes and uniform layouts), pipeline-overridable constants, and the values of the WGSL
 * `const`s that the host's dispatch sizes rely on (checked against the source by a unit test).
 */
export interface KernelSpec {
  readonly name: string;
  readonly source: string;
  readonly entryPoint: string;
  readonly bindings: readonly BindingSpec[];
  readonly constants: Readonly<Record<string, number | boolean>>;
  readonly sourceConstants: Readonly<Record<string, number>>;
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
      visibility: ShaderStage.COMPUTE,
      buffer: { type: binding.type, hasDynamicOffset: binding.type === 'uniform' && binding.dynamicOffset === true },
    })),
  };
}

import { limitExceeded } from '../../core/errors.js';
import type { DispatchCommand } from '../encode.js';
import { BufferUsage } from '../flags.js';
import { packUniform, type UniformStruct } from '../kernels/kernel.js';
import type { BufferSet } from '../memory.js';
import type { CompiledKernel } from '../pipeline-cache.js';
import { bindGroup } from '../shape-resources.js';

/** A uniform struct's slot in a builder's one uniform buffer. */
export interface UniformRef {
  readonly offset: number;
  readonly size: number;
}

type Resource = GPUBuffer | GPUBufferBinding | UniformRef;

interface PendingDispatch {
  readonly kernel: CompiledKernel;
  readonly label: string;
  readonly resources: Record<string, Resource>;
  readonly workgroups: readonly [number, number, number];
  readonly dynamicOffsets?: readonly number[];
}

function isUniformRef(resource: Resource): resource is UniformRef {
  return !('buffer' in resource) && 'offset' in resource && 'size' in resource && !('destroy' in resource);
}

/**
 * Collects the dispatches of a training call as kernels, named resources and workgroup counts,
 * with every uniform struct in one buffer (one slot per struct at the device's uniform offset
 * alignment), then makes the bind groups and DispatchCommands in one go. Dispatches are kept in
 * the order they were added; `mark()` names positions so a caller can cut the list into the
 * parts of a call (forward, loss, backward).
 */
export class CommandBuilder {
  private readonly pending: PendingDispatch[] = [];
  private readonly uniforms: { ref: UniformRef; data: Uint32Array<ArrayBuffer> }[] = [];
  private end = 0;

  constructor(
    private readonly stride: number,
    private readonly maxWorkgroups: number,
  ) {}

  /** A slot holding `values`, written when the buffer is made; rewrite it later with `rewrite`. */
  uniform<F extends string>(struct: UniformStruct<F>, values: Readonly<Record<F, number>>): UniformRef {
    const data = packUniform(struct, values);
    const ref = { offset: this.end, size: data.byteLength };
    this.end += Math.ceil(data.byteLength / this.stride) * this.stride;
    this.uniforms.push({ ref, data });
    return ref;
  }

  /** Adds a dispatch; a workgroup count past the device's limit is LIMIT_EXCEEDED naming it. */
  dispatch(kernel: CompiledKernel, label: string, resources: Record<string, Resource>, workgroups: readonly [number, number, number], dynamicOffsets?: readonly number[]): void {
    const largest = Math.max(...workgroups);
    if (largest > this.maxWorkgroups) {
      throw limitExceeded(`train: ${label} needs ${largest} workgroups in one dimension, over the device's maxComputeWorkgroupsPerDimension ${this.maxWorkgroups}; use fewer sequences per batch or shorter sequences`);
    }
    this.pending.push({ kernel, label, resources, workgroups, ...(dynamicOffsets ? { dynamicOffsets } : {}) });
  }

  /** The number of dispatches added so far: a position to cut the list at. */
  mark(): number {
    return this.pending.length;
  }

  /** Creates the uniform buffer in `set`, writes every slot, and makes the commands. */
  finish(device: GPUDevice, set: BufferSet, name: string): { uniforms: GPUBuffer; commands: DispatchCommand[] } {
    const uniforms = set.create({ name: `${name} uniforms`, bytes: Math.max(this.end, 256), usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST });
    for (const { ref, data } of this.uniforms) device.queue.writeBuffer(uniforms, ref.offset, data);
    const commands = this.pending.map((p): DispatchCommand => {
      const resources = Object.fromEntries(
        Object.entries(p.resources).map(([key, r]) => [key, isUniformRef(r) ? { buffer: uniforms, offset: r.offset, size: r.size } : r]),
      );
      return {
        pipeline: p.kernel.pipeline,
        bindGroup: bindGroup(device, p.kernel, p.label, resources),
        workgroups: p.workgroups,
        ...(p.dynamicOffsets ? { dynamicOffsets: p.dynamicOffsets } : {}),
      };
    });
    return { uniforms, commands };
  }
}

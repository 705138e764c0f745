import type { PreparedInput } from '../../core/prepared-input.js';
import type { TraceEntry } from '../../core/results.js';
import { directionCount, hiddenOutputSize } from '../../model/config.js';
import type { WasmEngine } from '../engine/engine.js';
import { kLstmFlags, type KernelCall } from '../engine/kernels.js';
import { kTraceBlock, setProjectionScratch, writeTraceBlock, type TraceAddresses } from './blocks.js';
import type { PackedLayer, PackedModel } from './packed-model.js';
import { gateColumns } from './pack.js';
import { productIsSolo, recurrenceSplit } from './split.js';

/** What a forward pass records besides its results: nothing, the user's trace, or what BPTT needs. */
export type Recording = 'none' | 'trace' | 'training';

/** Per layer-direction, where its results went (byte addresses). */
export interface LayerRecord {
  readonly packed: PackedLayer;
  /** Its input rows [T·B, inputSize] and their stride in floats. */
  readonly input: number;
  readonly inputStride: number;
  /** Its layer's output [T·B, D·R] (this direction's half at direction·R). */
  readonly output: number;
  readonly trace: TraceAddresses | null;
  /** The trace block the kernels read those addresses from (0 without a recording). */
  readonly traceBlock: number;
}

/**
 * One forward call's working set and plan: per layer and direction the input projection
 * G = x·W_ihᵀ + b_ih (gemm), then the fused recurrence (lstmForward). Every array of the call is
 * allocated here, held until release(), so a training step's backward can read the records.
 */
export class ForwardPass {
  readonly records: LayerRecord[] = [];
  readonly x: number;
  readonly hN: number;
  readonly cN: number;
  private readonly blocks: number[] = [];
  private readonly zeroed: [number, number][] = [];
  private readonly plan: KernelCall[] = [];
  private readonly fill: [number, Float32Array | Float64Array | Int32Array][] = [];
  private lengthsAt = 0;
  /**
   * Whether the kernels leave parts of the outputs and records unwritten: only with lengths (a row
   * past its length writes nothing), so only then are they zeroed first (a memset of every output
   * on each call cost 1% of a (16, 100, 64, 128) forward).
   */
  private readonly partial: boolean;

  constructor(
    private readonly engine: WasmEngine,
    private readonly packed: PackedModel,
    private readonly input: PreparedInput,
    recording: Recording,
  ) {
    const { config } = packed.model;
    const { steps: T, batch: B } = input;
    const H = config.hiddenSize;
    const R = hiddenOutputSize(config);
    const D = directionCount(config);
    const rows = T * B;
    const columns = gateColumns(H);
    this.partial = input.lengths !== null;
    try {
      this.x = this.alloc(rows * config.inputSize, 'x');
      this.fill.push([this.x, input.x]);
      const lengths = input.lengths ? this.alloc(B, 'lengths') : 0;
      this.lengthsAt = lengths;
      if (input.lengths) this.fill.push([lengths, input.lengths]);
      const h0 = input.h0 ? this.alloc(input.h0.length, 'h0') : 0;
      if (input.h0) this.fill.push([h0, input.h0]);
      const c0 = input.c0 ? this.alloc(input.c0.length, 'c0') : 0;
      if (input.c0) this.fill.push([c0, input.c0]);
      this.hN = this.alloc(packed.count * B * R, 'h_n');
      this.cN = this.alloc(packed.count * B * H, 'c_n');
      const g = this.alloc(rows * columns, 'the gate pre-activations');
      const state = this.alloc(B * (2 * R + H), 'the recurrent state');
      const traceBlocks = recording === 'none' ? 0 : this.alloc((packed.count * kTraceBlock.bytes) / 4, 'the trace blocks');
      const projectionScratch = config.projSize !== undefined ? this.alloc(B * H, 'the projection input') : 0;
      const keepOutputs = recording !== 'none';
      const outputs: number[] = [];
      const threads = engine.threads;
      const split = recurrenceSplit(threads, B, H, R, config.projSize !== undefined, engine.canBlock, T);
      let input0 = this.x;
      let inputStride = config.inputSize;
      for (const layer of packed.layers) {
        const ld = this.records.length;
        if (layer.direction === 0) {
          if (layer.layer > 0) {
            input0 = outputs[outputs.length - 1];
            inputStride = D * R;
          }
          // Inference keeps two output buffers in turn (zeroed again in the plan before reuse where
          // steps past a sequence's length are never written); recording keeps every layer's.
          const reuse = !keepOutputs && outputs.length >= 2;
          outputs.push(reuse ? outputs[outputs.length - 2] : this.alloc(rows * D * R, `layer ${layer.layer}'s output`, this.partial));
          if (reuse && this.partial) this.plan.push({ kernel: 'fill', args: [outputs[outputs.length - 1], rows * D * R, 0] }, { kernel: 'barrier', args: [] });
        }
        const output = outputs[outputs.length - 1];
        const trace = recording === 'none' ? null : this.traceAddresses(rows, H, R, recording === 'training');
        const traceAt = trace ? traceBlocks + ld * kTraceBlock.bytes : 0;
        // A fresh view each time: an allocation may have grown (and, unshared, detached) the memory.
        if (trace) writeTraceBlock(new DataView(engine.memory.buffer), traceAt, trace);
        if (layer.cell && projectionScratch) setProjectionScratch(new DataView(engine.memory.buffer), layer.cell, projectionScratch);
        this.records.push({ packed: layer, input: input0, inputStride, output, trace, traceBlock: traceAt });
        const I = layer.inputSize;
        this.plan.push(
          { kernel: 'gemm', args: [rows, columns, I, input0, inputStride, layer.weightIh, 64, I * 64, g, columns, layer.biasIh, 0], solo: productIsSolo(threads, rows, columns, I, engine.canBlock) },
          { kernel: 'barrier', args: [] },
          {
            kernel: 'lstmForward',
            args: [
              T, B, H, R, g, layer.weightHh, layer.biasHh, lengths, this.flags(layer.direction, split === 'units'),
              h0 ? h0 + ld * B * R * 4 : 0, c0 ? c0 + ld * B * H * 4 : 0, state,
              output, D * R, layer.direction * R, this.hN + ld * B * R * 4, this.cN + ld * B * H * 4, traceAt, layer.cell,
            ],
            solo: split === 'solo',
          },
          { kernel: 'barrier', args: [] },
        );
      }
    } catch (error) {
      this.release();
      throw error;
    }
  }

  private flags(direction: number, splitUnits: boolean): number {
    const { goBackwards } = this.packed.model.config;
    return (direction === 1 ? kLstmFlags.reverse : 0) | (goBackwards ? kLstmFlags.reverse | kLstmFlags.goBackwards : 0) | (splitUnits ? kLstmFlags.splitUnits : 0);
  }

  private traceAddresses(rows: number, H: number, R: number, training: boolean): TraceAddresses {
    const gate = (name: string) => this.alloc(rows * H, `the trace's ${name}`, this.partial);
    return {
      i: gate('i'),
      f: gate('f'),
      g: gate('g'),
      o: gate('o'),
      c: gate('c'),
      h: training ? 0 : this.alloc(rows * R, "the trace's h", this.partial),
      hPrev: training ? this.alloc(rows * R, 'h_{t−1}', this.partial) : 0,
      cPrev: training ? this.alloc(rows * H, 'c_{t−1}', this.partial) : 0,
    };
  }

  private alloc(floats: number, what: string, zero = false): number {
    const at = this.engine.heap.alloc(floats * 4, `the call's ${what}`);
    this.blocks.push(at);
    if (zero) this.zeroed.push([at, floats]);
    return at;
  }

  /** Writes the inputs (float64 → float32), zeroes what the kernels write only in part, and runs the plan. */
  run(): void {
    for (const [at, values] of this.fill) {
      if (values instanceof Int32Array) this.engine.ints(at, values.length).set(values);
      else this.engine.floats(at, values.length).set(values);
    }
    for (const [at, floats] of this.zeroed) this.engine.floats(at, floats).fill(0);
    this.engine.run(this.plan);
  }

  /** Where the inputs went: lengths [B] (int32; 0 without), for the backward pass. */
  get lengths(): number {
    return this.lengthsAt;
  }

  /** The top layer's output [T, B, D·R], time-major. */
  output(): Float32Array {
    const { steps: T, batch: B } = this.input;
    const { config } = this.packed.model;
    return this.engine.floats(this.records[this.records.length - 1].output, T * B * directionCount(config) * hiddenOutputSize(config)).slice();
  }

  states(): { hN: Float32Array; cN: Float32Array } {
    const { config } = this.packed.model;
    const B = this.input.batch;
    return {
      hN: this.engine.floats(this.hN, this.packed.count * B * hiddenOutputSize(config)).slice(),
      cN: this.engine.floats(this.cN, this.packed.count * B * config.hiddenSize).slice(),
    };
  }

  /** The user's trace (recording 'trace'): per layer-direction i, f, g, o, c [T, B, H] and h [T, B, R]. */
  trace(): TraceEntry[] {
    const { steps: T, batch: B } = this.input;
    const { config } = this.packed.model;
    const size = T * B * config.hiddenSize;
    const hSize = T * B * hiddenOutputSize(config);
    return this.records.map(({ packed, trace }) => ({
      layer: packed.layer,
      direction: packed.direction,
      i: this.engine.floats(trace!.i, size).slice(),
      f: this.engine.floats(trace!.f, size).slice(),
      g: this.engine.floats(trace!.g, size).slice(),
      o: this.engine.floats(trace!.o, size).slice(),
      c: this.engine.floats(trace!.c, size).slice(),
      h: this.engine.floats(trace!.h, hSize).slice(),
    }));
  }

  release(): void {
    for (const at of this.blocks.splice(0)) this.engine.heap.release(at);
  }
}

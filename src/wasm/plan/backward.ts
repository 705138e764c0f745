import type { PreparedInput } from '../../core/prepared-input.js';
import type { LstmGradients } from '../../cpu/backward.js';
import { directionCount } from '../../model/config.js';
import { paramName, type ParamKind } from '../../model/params.js';
import type { WasmEngine } from '../engine/engine.js';
import { kGemm, kLstmFlags, type KernelCall } from '../engine/kernels.js';
import type { ForwardPass } from './forward.js';
import { gateColumns, unpackGateColumns } from './pack.js';
import type { PackedBackward } from './packed-backward.js';
import { backwardSplit, copyIsSolo, productIsSolo } from './split.js';

/**
 * dz's row stride in floats: 4Hp, plus 16 where the bytes would be a multiple of 1 KiB. The weight
 * gradients' product reads dz down its columns, 64 bytes a row; rows a power of two apart would
 * all fall into one set of the L1 cache.
 */
function dzStrideOf(columns: number): number {
  return (columns * 4) % 1024 === 0 ? columns + 16 : columns;
}

/**
 * Backpropagation through time on the wasm engine for a forward pass recorded for training
 * (ForwardPass with recording 'training'), layers from the top down, as src/cpu/backward.ts:
 *
 *   per layer and direction:  dz = the reverse recurrence (lstmBackward), from δ of the layer above
 *   [∂W_ih | ∂W_hh | ∂b]ᵀ = [xᵀ; h_{t−1}ᵀ; 1ᵀ] · dz     one GEMM over all T·B rows (cuDNN's backward-weights)
 *   δ(layer input) (+)= dz · W_ih                        the layer below's δ, both directions summed
 *
 * `dOutput` is ∂L/∂output [T, B, D·H] and `dhN` ∂L/∂h_n [L·D, B, H] (either null for zero).
 */
export function backwardPass(
  engine: WasmEngine,
  weights: PackedBackward,
  forward: ForwardPass,
  input: PreparedInput,
  dOutput: Float64Array | null,
  dhN: Float64Array | null,
  withDx: boolean,
  gradientArray: GradientArrays = (_, length) => new Float64Array(length),
): LstmGradients {
  const { config } = weights.model;
  const H = config.hiddenSize;
  const L = config.numLayers;
  const D = directionCount(config);
  const { steps: T, batch: B } = input;
  const rows = T * B;
  const columns = gateColumns(H);
  const dzStride = dzStrideOf(columns);
  const count = L * D;
  const blocks: number[] = [];
  const alloc = (floats: number, what: string) => {
    const at = engine.heap.alloc(floats * 4, `the backward pass's ${what}`);
    blocks.push(at);
    return at;
  };
  try {
    const inputSizes = forward.records.map((record) => record.packed.inputSize);
    const dz = alloc(rows * dzStride, 'dz');
    const carry = alloc(B * H, 'δc carry');
    const zeros = alloc(columns, 'zero row');
    const dyTop = dOutput ? alloc(rows * D * H, '∂L/∂output') : 0;
    const dhNAt = dhN ? alloc(count * B * H, '∂L/∂h_n') : 0;
    const dh0 = alloc(count * B * H, '∂L/∂h_0');
    const dc0 = alloc(count * B * H, '∂L/∂c_0');
    const dBelow = L > 1 ? [alloc(rows * D * H, 'δ between layers'), alloc(rows * D * H, 'δ between layers')] : [];
    const dx = withDx ? alloc(rows * config.inputSize, '∂L/∂x') : 0;
    const operand = alloc((Math.max(...inputSizes) + H + 1) * rows, '[xᵀ; h_{t−1}ᵀ; 1ᵀ]');
    const gradients = inputSizes.map((I) => alloc((I + H + 1) * columns, 'weight gradients'));

    const threads = engine.threads;
    const split = backwardSplit(threads, B, H, engine.canBlock, T);
    const plan: KernelCall[] = [];
    const barrier: KernelCall = { kernel: 'barrier', args: [] };
    for (let layer = L - 1; layer >= 0; layer--) {
      const dy = layer === L - 1 ? dyTop : dBelow[(layer + 1) % 2];
      for (let direction = 0; direction < D; direction++) {
        const k = layer * D + direction;
        const record = forward.records[k];
        const I = inputSizes[k];
        const flags = (direction === 1 ? kLstmFlags.reverse : 0) | (split === 'units' ? kLstmFlags.splitUnits : 0);
        // Steps past a sequence's length write no dz; their rows must read as zeros.
        if (input.lengths) plan.push({ kernel: 'fill', args: [dz, rows * dzStride, 0] }, barrier);
        plan.push(
          {
            kernel: 'lstmBackward',
            args: [
              T, B, H, weights.layers[k].weightHhColumns, forward.lengths, flags, record.traceBlock,
              dy, D * H, direction * H, layer === L - 1 && dhNAt ? dhNAt + k * B * H * 4 : 0, 0,
              dz, dzStride, carry, dh0 + k * B * H * 4, dc0 + k * B * H * 4, zeros,
            ],
            solo: split === 'solo',
          },
          barrier,
          { kernel: 'transpose', args: [rows, I, record.input, record.inputStride, operand, rows], solo: copyIsSolo(threads, rows * I) },
          { kernel: 'transpose', args: [rows, H, record.trace!.hPrev, H, operand + I * rows * 4, rows], solo: copyIsSolo(threads, rows * H) },
          { kernel: 'fill', args: [operand + (I + H) * rows * 4, rows, 1] },
          barrier,
          { kernel: 'gemm', args: [I + H + 1, columns, rows, operand, rows, dz, dzStride * 4, 64, gradients[k], columns, 0, 0], solo: productIsSolo(threads, I + H + 1, columns, rows, engine.canBlock) },
          barrier,
        );
        const target = layer > 0 ? dBelow[layer % 2] : dx;
        if (target) {
          const accumulate = direction > 0 ? kGemm.accumulate : 0;
          plan.push(
            { kernel: 'gemm', args: [rows, I, columns, dz, dzStride, weights.layers[k].weightIhColumns, 64, columns * 64, target, I, 0, accumulate], solo: productIsSolo(threads, rows, I, columns, engine.canBlock) },
            barrier,
          );
        }
      }
    }

    // Inputs (float64 → float32) and zeros, after the last allocation (growing memory moves views).
    engine.floats(zeros, columns).fill(0);
    if (dOutput) engine.floats(dyTop, rows * D * H).set(dOutput);
    if (dhN) engine.floats(dhNAt, count * B * H).set(dhN);
    engine.run(plan);
    // Without withDx (an optimizer step) the input's gradients are not read out: untouched zeros cost no page.
    const inputGradient = (at: number, length: number) => (withDx ? Float64Array.from(engine.floats(at, length)) : new Float64Array(length));
    return { grads: readGradients(engine, weights, inputSizes, gradients, gradientArray), dx: inputGradient(dx, rows * config.inputSize), dh0: inputGradient(dh0, count * B * H), dc0: inputGradient(dc0, count * B * H) };
  } finally {
    for (const at of blocks) engine.heap.release(at);
  }
}

/**
 * Where a parameter's gradient is written, by name and length: a fresh array by default, or one a
 * trainer reuses step after step (on a VM whose page faults cost 11 µs, an H = 50 step's fresh
 * gradient arrays cost about a tenth of the step in Chromium).
 */
export type GradientArrays = (name: string, length: number) => Float64Array;

/** Each layer-direction's [I + H + 1, 4Hp] product back to PyTorch's ∂W_ih [4H, I], ∂W_hh [4H, H], ∂b [4H]. */
function readGradients(engine: WasmEngine, weights: PackedBackward, inputSizes: number[], gradients: number[], gradientArray: GradientArrays): Map<string, Float64Array> {
  const { config } = weights.model;
  const H = config.hiddenSize;
  const columns = gateColumns(H);
  const grads = new Map<string, Float64Array>();
  const D = directionCount(config);
  gradients.forEach((at, k) => {
    const I = inputSizes[k];
    const layer = Math.floor(k / D);
    const direction = k % D;
    const c = engine.floats(at, (I + H + 1) * columns);
    const into = (kind: ParamKind, length: number) => {
      const name = paramName(kind, layer, direction);
      const array = gradientArray(name, length);
      grads.set(name, array);
      return array;
    };
    unpackGateColumns(c, columns, 0, I, H, into('weight_ih', 4 * H * I));
    unpackGateColumns(c, columns, I, H, H, into('weight_hh', 4 * H * H));
    if (config.bias) {
      const db = into('bias_ih', 4 * H);
      unpackGateColumns(c, columns, I + H, 1, H, db);
      into('bias_hh', 4 * H).set(db); // b_ih and b_hh act only as their sum
    }
  });
  return grads;
}

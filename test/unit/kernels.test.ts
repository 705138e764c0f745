import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputProjectionKernel, kTrainingProjectionBlock, projectionWorkgroups } from '../../src/gpu/kernels/input-projection.js';
import { elementWorkgroups, splitStateKernel, swapAxesKernel } from '../../src/gpu/kernels/io.js';
import { kernelKey, type KernelSpec } from '../../src/gpu/kernels/kernel.js';
import { chooseBatchTile, kTileSizes, lstmSequenceKernel, sequenceKernelFits } from '../../src/gpu/kernels/lstm-sequence.js';
import { lstmStepKernel, stepWorkgroups } from '../../src/gpu/kernels/lstm-step.js';
import { kSwiftShaderCosts } from '../../src/gpu/cost-model.js';
import { lstmStepSplitKernel } from '../../src/gpu/kernels/lstm-step-split.js';
import { packBias, packGateColumns, packPeephole } from '../../src/gpu/pack.js';
import { kCellActivationCodes, kernelVariants, kPlainVariants } from '../../src/gpu/variants.js';
import { chooseRecurrencePath, planForward } from '../../src/gpu/plan.js';
import { normalizeConfig } from '../../src/model/config.js';
import { denseActBackwardKernel, denseForwardKernel, denseInputGradKernel, denseWeightGradKernel, gatherLastKernel } from '../../src/gpu/kernels/dense.js';
import {
  biasSumKernel, lossRowsKernel, lstmBackwardStepKernel, lstmInputGradKernel, lstmWeightGradKernel, optimizerUpdateKernel, reduceSumKernel, gradNormKernel, weightGradSourceKernel,
} from '../../src/gpu/kernels/train.js';
import { lstmBackwardSequenceKernel, transposeRecurrentKernel } from '../../src/gpu/kernels/train-sequence.js';

/** `@binding(N) var<...> name` of a WGSL source, in binding order. */
function wgslBindings(source: string): string[] {
  const found = [...source.matchAll(/@binding\((\d+)\)\s*var(?:<[^>]+>)?\s+(\w+)/g)];
  return found.sort((a, b) => Number(a[1]) - Number(b[1])).map((m) => m[2]);
}

const kAccess: Record<string, string> = { uniform: 'uniform', 'storage, read': 'read-only-storage', 'storage, read_write': 'storage' };

/** [name, access as a layout's buffer type] of every `@binding` of a WGSL source, in binding order. */
function wgslAccess(source: string): [string, string][] {
  const found = [...source.matchAll(/@binding\((\d+)\)\s*var<([^>]+)>\s+(\w+)/g)];
  return found.sort((a, b) => Number(a[1]) - Number(b[1])).map((m) => [m[3], kAccess[m[2].replace(/\s+/g, ' ')] ?? m[2]]);
}

/** [field, type] of `struct name { … }` in a WGSL source. */
function wgslStruct(source: string, name: string): [string, string][] {
  const body = new RegExp(`struct ${name}\\s*\\{([^}]*)\\}`).exec(source)?.[1] ?? '';
  return [...body.replace(/\/\/.*$/gm, '').matchAll(/(\w+)\s*:\s*(\w+)/g)].map((m) => [m[1], m[2]]);
}

describe('kernel specs agree with their WGSL', () => {
  const specs: [string, KernelSpec][] = [
    ['input_projection.wgsl', inputProjectionKernel()],
    ['lstm_step.wgsl', lstmStepKernel(false)],
    ['lstm_step_split.wgsl', lstmStepSplitKernel({ reduction: 'workgroup', split: 8 }, false)],
    ['lstm_step_subgroup.wgsl', lstmStepSplitKernel({ reduction: 'subgroup', maxSubgroupSize: 32 }, false)],
    ['lstm_sequence.wgsl', lstmSequenceKernel({ trace: false, threads: 64, units: 1, batchTile: 4 })],
    ['swap_axes.wgsl', swapAxesKernel],
    ['split_state.wgsl', splitStateKernel],
    // The training kernels (src/gpu/kernels/dense.ts, train.ts, train-sequence.ts).
    ['bias_sum.wgsl', biasSumKernel],
    ['gather_last.wgsl', gatherLastKernel],
    ['dense_forward.wgsl', denseForwardKernel],
    ['loss_rows.wgsl', lossRowsKernel],
    ['reduce_sum.wgsl', reduceSumKernel],
    ['grad_norm.wgsl', gradNormKernel],
    ['dense_act_backward.wgsl', denseActBackwardKernel],
    ['dense_weight_grad.wgsl', denseWeightGradKernel],
    ['dense_input_grad.wgsl', denseInputGradKernel],
    ['lstm_backward_step.wgsl', lstmBackwardStepKernel],
    ['lstm_backward_sequence.wgsl', lstmBackwardSequenceKernel(64, 4, 4)],
    ['transpose_recurrent.wgsl', transposeRecurrentKernel],
    ['weight_grad_source.wgsl', weightGradSourceKernel],
    ['lstm_weight_grad.wgsl', lstmWeightGradKernel(4)],
    ['lstm_input_grad.wgsl', lstmInputGradKernel],
    ['optimizer_update.wgsl', optimizerUpdateKernel],
  ];
  const withConstants = specs.filter(([, spec]) => Object.keys(spec.sourceConstants).length > 0);
  it.each(specs)('%s declares the bindings its TS signature lists', (file, spec) => {
    const source = readFileSync(resolve(__dirname, '../../shaders', file), 'utf8');
    expect(wgslBindings(source)).toEqual(spec.bindings.map((b) => b.name));
  });

  it.each(specs)('%s: each binding has the access mode its layout declares (uniform, read, read_write)', (_file, spec) => {
    expect(wgslAccess(spec.source)).toEqual(spec.bindings.map((b) => [b.name, b.type]));
  });

  it.each(specs)('%s: each uniform struct has the u32 fields, in the order, that the host writes by name', (_file, spec) => {
    for (const binding of spec.bindings) {
      if (binding.type !== 'uniform') continue;
      const declared = new RegExp(`var<uniform>\\s+${binding.name}\\s*:\\s*(\\w+)`).exec(spec.source)?.[1];
      expect(declared, binding.name).toBe(binding.struct.name);
      expect(wgslStruct(spec.source, binding.struct.name)).toEqual(binding.struct.fields.map((field) => [field, 'u32']));
    }
  });

  it.each(withConstants)('%s: the WGSL consts the dispatch sizes rely on have the values the host assumes', (_file, spec) => {
    expect(Object.keys(spec.sourceConstants).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(spec.sourceConstants)) {
      expect(new RegExp(`const ${name} = (\\d+)u;`).exec(spec.source)?.[1], name).toBe(String(value));
    }
  });

  it('the host tiles follow from those consts: workgroup counts for hand-worked sizes', () => {
    // input_projection: 16 invocations × 2 units = 32 units, 4 invocations × 4 rows = 16 rows.
    expect(projectionWorkgroups(33, 65)).toEqual([3, 3, 1]);
    // training's block: 16 invocations × 4 units = 64 units, 4 invocations × 8 rows = 32 rows.
    expect(projectionWorkgroups(33, 65, kTrainingProjectionBlock)).toEqual([2, 2, 1]);
    // lstm_step: 64 units a workgroup, 4 sequences an invocation.
    expect(stepWorkgroups(5, 65)).toEqual([2, 2, 1]);
    // lstm_sequence: H up to kMaxUnits = 256 in one workgroup; tiles up to kMaxTile = 8.
    expect(sequenceKernelFits(256, 1024)).toBe(true);
    expect(sequenceKernelFits(257, 1024)).toBe(false);
    expect(Math.max(...kTileSizes)).toBe(8);
    // swap_axes, split_state: 64 invocations a workgroup, a second dimension past the limit.
    expect(elementWorkgroups(65, 65535)).toEqual([2, 1, 1]);
    expect(elementWorkgroups(64 * 70000, 65535)).toEqual([65535, 2, 1]);
  });

  it('gives one cache key per pipeline: the same for the same name, entry point and constants in any order, another otherwise', () => {
    const spec = (constants: KernelSpec['constants'], entryPoint = 'main'): KernelSpec => ({ name: 'k', source: '', entryPoint, bindings: [], constants, sourceConstants: {} });
    expect(kernelKey(spec({ kTrace: true, kThreads: 64 }))).toBe(kernelKey(spec({ kThreads: 64, kTrace: true })));
    expect(kernelKey(spec({ kTrace: true, kThreads: 64 }))).not.toBe(kernelKey(spec({ kTrace: false, kThreads: 64 })));
    expect(kernelKey(spec({ kThreads: 64 }))).not.toBe(kernelKey(spec({ kThreads: 64 }, 'other')));
    // Seven pipelines a runner may compile, each specialised differently: seven keys.
    const pipelines = [
      inputProjectionKernel(),
      lstmStepKernel(false),
      lstmStepKernel(true),
      lstmSequenceKernel({ trace: false, threads: 64, units: 1, batchTile: 4 }),
      lstmSequenceKernel({ trace: true, threads: 64, units: 1, batchTile: 4 }),
      lstmSequenceKernel({ trace: false, threads: 128, units: 1, batchTile: 4 }),
      lstmSequenceKernel({ trace: false, threads: 64, units: 1, batchTile: 8 }),
    ];
    expect(new Set(pipelines.map(kernelKey)).size).toBe(7);
  });
});

describe('variant specialisations of the recurrence kernels', () => {
  const peepholes = kernelVariants(normalizeConfig({ inputSize: 2, hiddenSize: 3, peepholes: true, cellClip: 2, inputForget: true }));
  const specs: [string, KernelSpec][] = [
    ['lstm_step', lstmStepKernel(false, peepholes)],
    ['lstm_sequence', lstmSequenceKernel({ trace: false, threads: 64, units: 1, batchTile: 4, variants: peepholes })],
  ];

  it('a plain config has no variants: the plain kernels, with the constants they always had', () => {
    expect(kernelVariants(normalizeConfig({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true }))).toBe(kPlainVariants);
    expect(lstmStepKernel(false).constants).toEqual({ kTrace: false });
    expect(lstmSequenceKernel({ trace: false, threads: 64, units: 1, batchTile: 4 }).constants).toEqual({ kTrace: false, kThreads: 64, kUnits: 1, kBatchTile: 4 });
  });

  it.each(specs)('%s with peepholes binds `peephole` last, read-only, as its source declares it', (name, spec) => {
    expect(spec.name).toBe(`${name}_peephole`);
    expect(spec.bindings.at(-1)).toEqual({ name: 'peephole', type: 'read-only-storage' });
    expect(wgslAccess(spec.source)).toEqual(spec.bindings.map((b) => [b.name, b.type]));
  });

  it.each(specs)('%s: every variant constant the host passes is an override of the source', (_name, spec) => {
    const all = kernelVariants(normalizeConfig({
      inputSize: 2, hiddenSize: 3, cellClip: 1, inputForget: true, goBackwards: true,
      activations: { gate: 'hard_sigmoid', candidate: 'relu', cellOutput: { kind: 'scaled_tanh', alpha: 2, beta: 0.5 } },
    }));
    expect(Object.keys(all.constants).length).toBe(12);
    for (const name of Object.keys(all.constants)) expect(spec.source, name).toMatch(new RegExp(`override ${name}: (u32|f32|bool) =`));
  });

  it("passes α and β as the config gives them: hard_sigmoid as Keras 3 means it (1/6, 0.5), and the codes activations.wgsl's switch lists", () => {
    const keras3 = kernelVariants(normalizeConfig({ inputSize: 1, hiddenSize: 1, activations: { gate: { kind: 'hard_sigmoid', alpha: 1 / 6, beta: 0.5 } } }));
    expect(keras3.constants).toMatchObject({ kGateKind: 1, kGateAlpha: 1 / 6, kGateBeta: 0.5, kCandidateKind: 2, kCellOutputKind: 2 });
    const source = readFileSync(resolve(__dirname, '../../shaders/activations.wgsl'), 'utf8');
    const listed = Object.fromEntries([...source.matchAll(/(\d+) (\w+)[,:.]/g)].filter((m) => m[2] in kCellActivationCodes).map((m) => [m[2], Number(m[1])]));
    expect(listed).toEqual(kCellActivationCodes);
  });
});

describe('weight packing', () => {
  it("puts the four gates of one unit side by side, column k first: out[(k·H + u)·4 + gate] = W[gate·H + u, k]", () => {
    const H = 2;
    const K = 3;
    // W[row, k] = 100·row + k makes every element name its own position.
    const W = Float64Array.from({ length: 4 * H * K }, (_, i) => 100 * Math.floor(i / K) + (i % K));
    const packed = packGateColumns(W, H, K);
    for (let k = 0; k < K; k++) {
      for (let u = 0; u < H; u++) {
        for (let gate = 0; gate < 4; gate++) expect(packed[(k * H + u) * 4 + gate]).toBe(100 * (gate * H + u) + k);
      }
    }
  });

  it('pads with zero rows up to the requested inner size', () => {
    const packed = packGateColumns(Float64Array.from({ length: 4 * 2 * 3 }, (_, i) => i + 1), 2, 3, 4);
    expect(packed.length).toBe(4 * 2 * 4);
    expect([...packed.subarray(3 * 2 * 4)]).toEqual(new Array(8).fill(0));
    expect(packed.subarray(0, 3 * 2 * 4).every((v) => v !== 0)).toBe(true);
  });

  it('packs peepholes P [3H] (blocks i, o, f) per unit into the lanes of their gates: (P_i, P_f, 0, P_o)', () => {
    // H = 2: P = [i0, i1, o0, o1, f0, f1].
    expect([...packPeephole(Float64Array.from([1, 2, 3, 4, 5, 6]), 2)]).toEqual([1, 5, 0, 3, 2, 6, 0, 4]);
  });

  it('packs b_ih + b_hh per unit as (i, f, g, o), and zeros without bias', () => {
    const biasHh = Float64Array.from([10, 20, 30, 40, 50, 60, 70, 80]);
    expect([...packBias(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]), biasHh, 2)]).toEqual([11, 33, 55, 77, 22, 44, 66, 88]);
    expect([...packBias(null, null, 2)]).toEqual(new Array(8).fill(0));
  });
});

describe('recurrence path', () => {
  const limits = { maxComputeInvocationsPerWorkgroup: 256, minWorkgroups: 2, software: false, subgroups: null, costs: kSwiftShaderCosts };
  it('uses the persistent sequence kernel while one workgroup holds every unit, else per-step dispatches', () => {
    expect(chooseRecurrencePath(normalizeConfig({ inputSize: 3, hiddenSize: 256 }), 8, limits)).toEqual({ kind: 'sequence', threads: 256, units: 1, batchTile: 4 });
    expect(chooseRecurrencePath(normalizeConfig({ inputSize: 3, hiddenSize: 37 }), 1, limits)).toEqual({ kind: 'sequence', threads: 64, units: 1, batchTile: 1 });
    // A software adapter: two units per invocation once H needs more than 32 invocations.
    expect(chooseRecurrencePath(normalizeConfig({ inputSize: 3, hiddenSize: 256 }), 8, { ...limits, software: true })).toEqual({ kind: 'sequence', threads: 128, units: 2, batchTile: 4 });
    expect(chooseRecurrencePath(normalizeConfig({ inputSize: 3, hiddenSize: 37 }), 1, { ...limits, software: true })).toEqual({ kind: 'sequence', threads: 32, units: 2, batchTile: 1 });
    expect(chooseRecurrencePath(normalizeConfig({ inputSize: 3, hiddenSize: 20 }), 1, { ...limits, software: true })).toEqual({ kind: 'sequence', threads: 32, units: 1, batchTile: 1 });
    expect(chooseRecurrencePath(normalizeConfig({ inputSize: 3, hiddenSize: 257 }), 8, limits)).toEqual({ kind: 'steps' });
    expect(chooseRecurrencePath(normalizeConfig({ inputSize: 3, hiddenSize: 200 }), 8, { ...limits, maxComputeInvocationsPerWorkgroup: 128 })).toEqual({ kind: 'steps' });
  });

  it.each([
    [1, 1],
    [2, 1],
    [3, 2],
    [5, 4],
    [16, 8],
    [64, 8],
  ])('B=%i: batch tile %i (never wider than the batch, at least two workgroups when B allows)', (batch, tile) => {
    expect(chooseBatchTile(batch, 2)).toBe(tile);
  });
});

describe('forward plan', () => {
  it('the persistent path takes 2 dispatches per layer and direction', () => {
    const config = normalizeConfig({ inputSize: 5, hiddenSize: 37, numLayers: 2, bidirectional: true });
    const plan = planForward(config, 1000, 5, { kind: 'sequence', threads: 64, units: 1, batchTile: 4 });
    expect(plan.map((r) => r.kernel)).toEqual(new Array(4).fill(['input_projection', 'lstm_sequence']).flat());
    expect(plan[1].workgroups).toEqual([2, 1, 1]);
  });

  it.each([
    [1, false, 1],
    [2, false, 100],
    [3, true, 17],
  ])('L=%i bidirectional=%s T=%i: L·D·(T + 1) dispatches, projection first in each layer-direction', (numLayers, bidirectional, T) => {
    const config = normalizeConfig({ inputSize: 5, hiddenSize: 37, numLayers, bidirectional });
    const plan = planForward(config, T, 5, { kind: "steps" });
    const D = bidirectional ? 2 : 1;
    expect(plan.length).toBe(numLayers * D * (T + 1));
    expect(plan.filter((r) => r.kernel === 'input_projection').map((r) => `${r.layer}.${r.direction}`)).toEqual(
      Array.from({ length: numLayers * D }, (_, i) => `${Math.floor(i / D)}.${i % D}`),
    );
    const firstSteps = plan.filter((r) => r.kernel === 'lstm_step' && r.step === 0).length;
    expect(firstSteps).toBe(numLayers * D);
  });
});

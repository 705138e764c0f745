import { describe, expect, it } from 'vitest';
import { kH100Costs, kSwiftShaderCosts, stepCost, type DeviceCosts } from '../../src/gpu/cost-model.js';
import { chooseRecurrencePath, predictPaths, stepWork, type PathLimits } from '../../src/gpu/plan.js';

// The cost model (src/gpu/cost-model.ts) and the choice it makes (src/gpu/plan.ts). Expected
// figures are worked by hand from the formulas' definitions in docs/performance.md.

const swiftShader: PathLimits = { maxComputeInvocationsPerWorkgroup: 256, minWorkgroups: 4, software: true, subgroups: { min: 4, max: 4 }, costs: kSwiftShaderCosts };
const h100: PathLimits = { maxComputeInvocationsPerWorkgroup: 1024, minWorkgroups: 64, software: false, subgroups: { min: 32, max: 32 }, costs: kH100Costs };

describe('cost model', () => {
  it('counts one step of each kernel as its definition says', () => {
    const costs: DeviceCosts = { ...kH100Costs, dispatchUs: 4, barrierUs: 0.5 };
    // steps at (B, H) = (5, 64): ⌈5/4⌉ = 2 groups of 4 sequences, ⌈64/64⌉ = 1 workgroup of units each.
    expect(stepWork({ kind: 'steps' }, 64, 5, costs)).toEqual({ kind: 'steps', bytes: 16 * 64 * 64 * 2, loads: 5 * 64 * 64 * 2, flops: 8 * 64 * 64 * 4 * 2, invocations: 128, workgroups: 2, fixedUs: 4 });
    // spread with split 8 at (3, 64): 8 units a workgroup → 8 × 3 workgroups; one barrier a step.
    expect(stepWork({ kind: 'spread', reduction: 'workgroup', split: 8 }, 64, 3, costs)).toEqual({ kind: 'spread', bytes: 16 * 64 * 64 * 3, loads: 2 * 64 * 64 * 3, flops: 8 * 64 * 64 * 3, invocations: 64 * 24, workgroups: 24, fixedUs: 4.5 });
    // sequence, tile 2 at B = 3: 2 workgroups; per unit and k one W load, per quad 2 h loads for 1 unit.
    expect(stepWork({ kind: 'sequence', threads: 64, units: 1, batchTile: 2 }, 64, 3, costs)).toMatchObject({ workgroups: 2, loads: 2 * 64 * 64 * 1.5, fixedUs: 0.5 });
  });

  it('takes the largest of compute, bytes and load issue, scaled by the units busy, plus the fixed cost', () => {
    const costs: DeviceCosts = { ...kSwiftShaderCosts, computeUnits: 2, lanesPerUnit: 32, unitGflops: 1, unitLoadGBs: 1, chipLoadGBs: 100, dispatchUs: 10, unitLoadsPerUs: { sequence: 100, steps: 100, spread: 100 } };
    // One workgroup of 64 lanes: one unit busy at full efficiency. 2000 FLOP at 1 GFLOP/s = 2 µs;
    // 1000 B at 1 GB/s = 1 µs; 500 loads at 100/µs = 5 µs → 5 + 10.
    expect(stepCost(costs, { kind: 'steps', bytes: 1000, loads: 500, flops: 2000, invocations: 64, workgroups: 1, fixedUs: 10 }).us).toBeCloseTo(15);
    // 16 lanes on one unit: half of lanesPerUnit, so every rate halves.
    expect(stepCost(costs, { kind: 'steps', bytes: 1000, loads: 500, flops: 2000, invocations: 16, workgroups: 1, fixedUs: 10 }).us).toBeCloseTo(20);
  });

  it('on SwiftShader keeps the persistent kernel at every forward bench shape (H ≤ 256), as before', () => {
    for (const [B, H] of [[1, 128], [16, 128], [64, 256], [256, 256], [1, 64], [32, 128]]) {
      expect(chooseRecurrencePath({ hiddenSize: H }, B, swiftShader).kind, `B=${B} H=${H}`).toBe('sequence');
    }
  });

  it('on SwiftShader above H = 256 picks the split-K step at B = 1 and the plain step at B = 64, as measured', () => {
    expect(chooseRecurrencePath({ hiddenSize: 512 }, 1, swiftShader)).toEqual({ kind: 'spread', reduction: 'subgroup', maxSubgroupSize: 4 });
    expect(chooseRecurrencePath({ hiddenSize: 512 }, 64, swiftShader)).toEqual({ kind: 'steps' });
    // Without subgroups the workgroup-memory reduction takes their place.
    expect(chooseRecurrencePath({ hiddenSize: 512 }, 1, { ...swiftShader, subgroups: null }).kind).toBe('spread');
  });

  it('on an H100-class GPU spreads small batches over the chip and keeps W_hh reuse at large ones', () => {
    expect(chooseRecurrencePath({ hiddenSize: 128 }, 1, h100).kind).toBe('spread');
    expect(chooseRecurrencePath({ hiddenSize: 1024 }, 64, h100).kind).toBe('steps');
  });

  it('lists every candidate, the unavailable ones last with the reason', () => {
    const predictions = predictPaths({ hiddenSize: 512 }, 1, { ...swiftShader, subgroups: { min: 4, max: 128 } });
    const unavailable = predictions.filter((p) => p.stepUs === null);
    expect(unavailable.map((p) => p.path.kind).sort()).toEqual(['sequence', 'spread']);
    expect(unavailable.find((p) => p.path.kind === 'sequence')?.unavailable).toMatch(/H ≤ 256/);
    expect(unavailable.find((p) => p.path.kind === 'spread')?.unavailable).toMatch(/up to 128 lanes/);
    expect(predictions.at(-1)?.stepUs).toBeNull();
  });
});

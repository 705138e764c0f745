/**
 * The cost model that picks the recurrence kernel (docs/performance.md, "The cost model"): for each
 * kernel that can run a call, the time of one time step from the bytes of W_hh it loads, the FLOPs
 * it does, how much of the chip its workgroups keep busy, and its fixed cost per step (a dispatch,
 * or a barrier). The cheapest wins. The constants of a software adapter were measured on
 * SwiftShader (2 cores); those of a discrete GPU come from public figures and are marked so —
 * `npm run bench:device` prints each prediction beside the measured time, to confirm or refute it.
 */

/** What a device class costs, per the model. */
export interface DeviceCosts {
  readonly name: string;
  /** Where the figures come from: 'measured …' or 'public figures …'. */
  readonly source: string;
  /** Units that each run one workgroup at a time at least: cores of a CPU, SMs / CUs of a GPU. */
  readonly computeUnits: number;
  /** Invocations a unit must have in flight to reach its rates (latency hiding). */
  readonly lanesPerUnit: number;
  /** FLOP/s one unit sustains on these FMA loops, in GFLOP/s. */
  readonly unitGflops: number;
  /** Bytes/s one unit loads W_hh at, in GB/s. */
  readonly unitLoadGBs: number;
  /** The whole chip's cap on W_hh loads (L2 or DRAM), in GB/s. */
  readonly chipLoadGBs: number;
  /** One dispatch inside a compute pass (launch and drain), in µs. */
  readonly dispatchUs: number;
  /** One step's workgroup barrier (the persistent kernel's, the split kernel's), in µs. */
  readonly barrierUs: number;
  /**
   * Per-lane load instructions one unit issues per µs, by kernel. On a GPU the load units' issue
   * rate, the same for every kernel; on SwiftShader, where every load is a per-lane gather, the
   * binding term, measured per kernel (its loads differ in kind: workgroup memory, vec2, vec4).
   */
  readonly unitLoadsPerUs: Readonly<Record<KernelKind, number>>;
}

/** The recurrence kernels the model knows. */
export type KernelKind = 'sequence' | 'steps' | 'spread';

/**
 * SwiftShader on this project's 2-core machine, measured with bench/cost-calibrate.mjs (each figure
 * there): the per-step time of each kernel at shapes where one term dominates.
 */
export const kSwiftShaderCosts: DeviceCosts = {
  name: 'SwiftShader (software, 2 cores)',
  source: 'measured with bench/cost-calibrate.mjs on SwiftShader through Dawn, 2 shared cores (docs/performance.md)',
  computeUnits: 2,
  lanesPerUnit: 32,
  unitGflops: 2,
  unitLoadGBs: 4,
  chipLoadGBs: 8,
  dispatchUs: 100,
  barrierUs: 10,
  unitLoadsPerUs: { sequence: 115, steps: 62, spread: 60 },
};

/**
 * A discrete GPU of the NVIDIA H100 class. Public figures, not measured here: 132 SMs (H100 SXM);
 * 67 TFLOP/s FP32 (≈ 0.5 TFLOP/s per SM, taken at half for dependent FMA chains); L2 ≈ 5.5 TB/s
 * read (W_hh up to H = 1024, 16 MiB, stays in the 50 MiB L2), ≈ 40 GB/s per SM share taken as
 * 64 B/clock at 1.6 GHz ≈ 100 GB/s; 2048 resident threads per SM, half needed to hide latency;
 * a dependent dispatch in one pass ≈ 4 µs (Dawn on Vulkan/D3D12: launch plus the barrier between
 * dispatches); a workgroup barrier ≈ 0.1 µs plus a workgroup-memory round trip, taken as 0.5 µs.
 */
export const kH100Costs: DeviceCosts = {
  name: 'discrete GPU, NVIDIA H100 class',
  source: 'public figures (NVIDIA H100 SXM datasheet and whitepaper), not measured',
  computeUnits: 132,
  lanesPerUnit: 1024,
  unitGflops: 250,
  unitLoadGBs: 100,
  chipLoadGBs: 5500,
  dispatchUs: 4,
  barrierUs: 0.5,
  // 32 lane-loads per clock per SM (4 load/store units × 8 lanes… taken as one warp-wide load per clock) at 1.75 GHz.
  unitLoadsPerUs: { sequence: 56_000, steps: 56_000, spread: 56_000 },
};

/**
 * A laptop-class discrete GPU (an RTX 4060 Laptop class): public figures, not measured. 24 SMs,
 * ≈ 15 TFLOP/s FP32, 32 MiB L2 at ≈ 1.5 TB/s, 256 GB/s DRAM (W_hh past ≈ 1400 units spills L2).
 */
export const kLaptopGpuCosts: DeviceCosts = {
  name: 'laptop-class discrete GPU (RTX 4060 Laptop class)',
  source: 'public figures (NVIDIA RTX 4060 Laptop specifications), not measured',
  computeUnits: 24,
  lanesPerUnit: 1024,
  unitGflops: 300,
  unitLoadGBs: 90,
  chipLoadGBs: 1500,
  dispatchUs: 6,
  barrierUs: 0.5,
  unitLoadsPerUs: { sequence: 70_000, steps: 70_000, spread: 70_000 },
};

/** One kernel's work per time step, as the model sees it. */
export interface StepWork {
  readonly kind: KernelKind;
  /** W_hh bytes loaded per step, all workgroups together. */
  readonly bytes: number;
  /** Per-lane load instructions per step (W_hh and h), all invocations together. */
  readonly loads: number;
  /** FLOPs per step (2 per multiply-add, padded lanes included). */
  readonly flops: number;
  readonly invocations: number;
  readonly workgroups: number;
  /** The fixed cost per step: dispatches and barriers, in µs. */
  readonly fixedUs: number;
}

/** Seconds-free: the modelled time of one step in µs, and its terms. */
export interface StepCost {
  readonly us: number;
  readonly computeUs: number;
  readonly loadUs: number;
  /** The load instructions' issue time. */
  readonly issueUs: number;
  readonly fixedUs: number;
  /** Units busy (at most computeUnits). */
  readonly busyUnits: number;
}

/**
 * The modelled time of one step: a workgroup runs on one unit, so min(units, workgroups) units
 * work, each at its rate scaled by how many invocations it has in flight against lanesPerUnit;
 * compute, bytes and load issue overlap (the largest counts), the fixed cost adds.
 */
export function stepCost(costs: DeviceCosts, work: StepWork): StepCost {
  const busyUnits = Math.max(1, Math.min(costs.computeUnits, work.workgroups));
  const efficiency = Math.min(1, work.invocations / busyUnits / costs.lanesPerUnit);
  const computeUs = work.flops / (busyUnits * costs.unitGflops * 1e3 * efficiency);
  const loadUs = work.bytes / (Math.min(costs.chipLoadGBs, busyUnits * costs.unitLoadGBs * efficiency) * 1e3);
  const issueUs = work.loads / (busyUnits * costs.unitLoadsPerUs[work.kind] * efficiency);
  return { us: Math.max(computeUs, loadUs, issueUs) + work.fixedUs, computeUs, loadUs, issueUs, fixedUs: work.fixedUs, busyUnits };
}

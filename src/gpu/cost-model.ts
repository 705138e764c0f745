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
}

/**
 * SwiftShader on this project's 2-core machine, measured with bench/cost-calibrate.mjs (each figure
 * there): the per-step time of each kernel at shapes where one term dominates.
 */
export const kSwiftShaderCosts: DeviceCosts = {
  name: 'SwiftShader (software, 2 cores)',
  source: 'measured with bench/cost-calibrate.mjs on SwiftShader through Dawn, 2 shared cores',
  computeUnits: 2,
  lanesPerUnit: 32,
  unitGflops: 2.4,
  unitLoadGBs: 2.6,
  chipLoadGBs: 5.2,
  dispatchUs: 55,
  barrierUs: 9,
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
};

/** One kernel's work per time step, as the model sees it. */
export interface StepWork {
  /** W_hh bytes loaded per step, all workgroups together. */
  readonly bytes: number;
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
  readonly fixedUs: number;
  /** Units busy (at most computeUnits). */
  readonly busyUnits: number;
}

/**
 * The modelled time of one step: a workgroup runs on one unit, so min(units, workgroups) units
 * work, each at its rate scaled by how many invocations it has in flight against lanesPerUnit;
 * compute and loads overlap (the larger counts), the fixed cost adds.
 */
export function stepCost(costs: DeviceCosts, work: StepWork): StepCost {
  const busyUnits = Math.max(1, Math.min(costs.computeUnits, work.workgroups));
  const efficiency = Math.min(1, work.invocations / busyUnits / costs.lanesPerUnit);
  const computeUs = work.flops / (busyUnits * costs.unitGflops * 1e3 * efficiency);
  const loadUs = work.bytes / (Math.min(costs.chipLoadGBs, busyUnits * costs.unitLoadGBs * efficiency) * 1e3);
  return { us: Math.max(computeUs, loadUs) + work.fixedUs, computeUs, loadUs, fixedUs: work.fixedUs, busyUnits };
}

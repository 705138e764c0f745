/**
 * The kernels the module exports (src/wasm/assembly/index.ts), by name, with their parameters
 * before the thread context that each takes last. Plans (src/wasm/plan/) are lists of these calls.
 */
export const kKernelNames = ['gemm', 'lstmForward', 'lstmBackward', 'transpose', 'fill', 'barrier'] as const;
export type KernelName = (typeof kKernelNames)[number];

export interface KernelCall {
  readonly kernel: KernelName;
  /** Every parameter but the context, in the export's order (byte addresses for pointers, 0 for none). */
  readonly args: readonly number[];
  /**
   * Run by the calling thread alone (its single-thread context), the others skipping it: for work
   * too small to share. A plan puts a barrier after it before anything reads its results.
   */
  readonly solo?: boolean;
}

export type Plan = readonly KernelCall[];

/** gemm's flags (src/wasm/assembly/gemm.ts). */
export const kGemm = Object.freeze({ accumulate: 1 });

/** lstmForward's and lstmBackward's flags (src/wasm/assembly/layout.ts). */
export const kLstmFlags = Object.freeze({ reverse: 1, goBackwards: 2, splitUnits: 4 });

export type KernelExports = Record<KernelName, (...args: number[]) => unknown> & {
  readonly fmaProbe: (rounds: number) => number;
  readonly memory: WebAssembly.Memory;
};

import type { LstmConfig } from '../../model/config.js';
import { kCellActivationKinds, kDefaultActivations, type CellActivation } from '../../model/variants.js';

/**
 * The parameter blocks of the LSTM kernels, field by field as src/wasm/assembly/layout.ts lays
 * them out (test/unit/wasm-layout.test.ts holds the two files to each other). Offsets in bytes.
 */
export const kTraceBlock = Object.freeze({ i: 0, f: 4, g: 8, o: 12, c: 16, h: 20, hPrev: 24, cPrev: 28, bytes: 32 });

export const kCellBlock = Object.freeze({
  gateKind: 0,
  gateAlpha: 4,
  gateBeta: 8,
  candidateKind: 12,
  candidateAlpha: 16,
  candidateBeta: 20,
  outputKind: 24,
  outputAlpha: 28,
  outputBeta: 32,
  clip: 36,
  inputForget: 40,
  peephole: 44,
  projection: 48,
  projectionScratch: 52,
  bytes: 64,
});

/** Where one layer-direction's trace goes: byte addresses, 0 for a field not recorded. */
export interface TraceAddresses {
  readonly i: number;
  readonly f: number;
  readonly g: number;
  readonly o: number;
  readonly c: number;
  readonly h: number;
  readonly hPrev: number;
  readonly cPrev: number;
}

export function writeTraceBlock(view: DataView, at: number, trace: TraceAddresses): void {
  for (const field of ['i', 'f', 'g', 'o', 'c', 'h', 'hPrev', 'cPrev'] as const) view.setUint32(at + kTraceBlock[field], trace[field], true);
}

/** Whether a config needs the variant cell (anything but PyTorch's σ/tanh cell without extras). */
export function needsCellBlock(config: LstmConfig): boolean {
  return config.activations !== undefined || config.cellClip !== undefined || config.inputForget === true || config.peepholes === true || config.projSize !== undefined;
}

/** An activation's kind as the kernels number it (activations.ts's ACT_*: ONNX's list, in order). */
export function activationCode(activation: CellActivation): number {
  return kCellActivationKinds.indexOf(activation.kind);
}

/** The cell block of one layer-direction; the projection scratch is set per call (setProjectionScratch). */
export function writeCellBlock(view: DataView, at: number, config: LstmConfig, peephole: number, projection: number): void {
  const activations = config.activations ?? kDefaultActivations;
  const put = (kind: number, alpha: number, beta: number, activation: CellActivation) => {
    view.setInt32(at + kind, activationCode(activation), true);
    view.setFloat32(at + alpha, activation.alpha ?? 0, true);
    view.setFloat32(at + beta, activation.beta ?? 0, true);
  };
  put(kCellBlock.gateKind, kCellBlock.gateAlpha, kCellBlock.gateBeta, activations.gate);
  put(kCellBlock.candidateKind, kCellBlock.candidateAlpha, kCellBlock.candidateBeta, activations.candidate);
  put(kCellBlock.outputKind, kCellBlock.outputAlpha, kCellBlock.outputBeta, activations.cellOutput);
  view.setFloat32(at + kCellBlock.clip, config.cellClip ?? 0, true);
  view.setInt32(at + kCellBlock.inputForget, config.inputForget ? 1 : 0, true);
  view.setUint32(at + kCellBlock.peephole, peephole, true);
  view.setUint32(at + kCellBlock.projection, projection, true);
  view.setUint32(at + kCellBlock.projectionScratch, 0, true);
}

export function setProjectionScratch(view: DataView, cellAt: number, scratch: number): void {
  view.setUint32(cellAt + kCellBlock.projectionScratch, scratch, true);
}

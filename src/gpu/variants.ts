import { invalidArgument, LstmError } from '../core/errors.js';
import { variantsOf, type LstmConfig } from '../model/config.js';
import type { LSTM } from '../model/lstm.js';
import { kCellActivationKinds, type CellActivation, type CellActivationKind } from '../model/variants.js';

/**
 * The LSTM variants (src/model/variants.ts) as the recurrence kernels run them: pipeline-overridable
 * constants of lstm_cell.wgsl (activations with their α and β, cell clip, input_forget,
 * go_backwards) and one specialisation of the source (peepholes, which add a binding). A plain
 * model gets no constants and no peephole, so its pipelines are exactly the plain ones.
 */
export interface KernelVariants {
  /** Override constants of lstm_cell.wgsl, only those that differ from its defaults. */
  readonly constants: Readonly<Record<string, number | boolean>>;
  /** Whether the kernel reads per-unit peepholes (lstm_peephole.wgsl and a `peephole` binding). */
  readonly peephole: boolean;
  /** Whether W_hh is stored as f16 (RunnerOptions.weights 'float16'; the device has shader-f16). */
  readonly halfWeights?: boolean;
}

/** `variants` reading W_hh as f16 when `half`. */
export function withHalfWeights(variants: KernelVariants, half: boolean): KernelVariants {
  return half ? { ...variants, halfWeights: true } : variants;
}

export const kPlainVariants: KernelVariants = Object.freeze({ constants: Object.freeze({}), peephole: false });

/** cell_activation's codes (activations.wgsl): the index in ONNX's list as kCellActivationKinds orders it. */
export const kCellActivationCodes = Object.freeze(
  Object.fromEntries(kCellActivationKinds.map((kind, code) => [kind, code])) as Record<CellActivationKind, number>,
);

/** The three constants of one activation slot; α and β exactly as the config says (hard_sigmoid's differ by source). */
function activationConstants(slot: 'Gate' | 'Candidate' | 'CellOutput', activation: CellActivation): Record<string, number> {
  return {
    [`k${slot}Kind`]: kCellActivationCodes[activation.kind],
    [`k${slot}Alpha`]: activation.alpha ?? 0,
    [`k${slot}Beta`]: activation.beta ?? 0,
  };
}

const cache = new WeakMap<LstmConfig, KernelVariants>();

/** What the recurrence kernels of `config` are specialised with (kPlainVariants for PyTorch's LSTM). */
export function kernelVariants(config: LstmConfig): KernelVariants {
  let variants = cache.get(config);
  if (!variants) {
    const { activations, cellClip, inputForget, goBackwards, peepholes } = config;
    const constants = {
      ...(activations
        ? {
            ...activationConstants('Gate', activations.gate),
            ...activationConstants('Candidate', activations.candidate),
            ...activationConstants('CellOutput', activations.cellOutput),
          }
        : {}),
      ...(cellClip !== undefined ? { kCellClip: cellClip } : {}),
      ...(inputForget ? { kInputForget: true } : {}),
      ...(goBackwards ? { kGoBackwards: true } : {}),
    };
    variants = Object.keys(constants).length === 0 && !peepholes ? kPlainVariants : Object.freeze({ constants: Object.freeze(constants), peephole: peepholes === true });
    cache.set(config, variants);
  }
  return variants;
}

/**
 * The kernels run every variant but PyTorch's proj_size (h = W_hr·(o ⊙ tanh c) changes the width of
 * the recurrence); a model with a projection is refused at load, before anything is uploaded.
 */
export function refuseVariants(model: LSTM): void {
  const { projSize } = model.config;
  if (projSize === undefined) return;
  throw new LstmError(
    'BACKEND_UNAVAILABLE',
    `load: the webgpu backend does not run LSTMs with projections yet; this model has config.projSize = ${projSize}. Use the CPU backend (createBackend({ prefer: 'cpu' }), --backend cpu)`,
  );
}

/**
 * A call too big for one dispatch sequence splits over time into one-layer models
 * (src/model/layer-model.ts), which carry no variants: such a call of a variant model is refused.
 */
export function refuseVariantSplit(config: LstmConfig): void {
  const variants = variantsOf(config);
  if (variants.length === 0) return;
  throw new LstmError(
    'LIMIT_EXCEEDED',
    `forward: this call is too large for one pass on this device and must be split over time, which the webgpu backend does not do for LSTM variants (config.${variants.join(', config.')}, hidden size ${config.hiddenSize}); use fewer steps or a smaller batch per call`,
  );
}

/**
 * go_backwards with lengths in a stacked model has no consistent meaning (Keras passes the next
 * layer the reversed sequence with its mask unreversed): refused as the CPU reference refuses it.
 */
export function checkVariantInput(config: LstmConfig, lengths: ArrayLike<number> | null): void {
  if (!config.goBackwards || !lengths) return;
  if (config.numLayers > 1) {
    throw invalidArgument('lengths: a stacked model with goBackwards runs full sequences only (Keras passes the next layer its mask unreversed); give no lengths or one layer');
  }
  // The head's gather_last reads each sequence's step lengths[b] − 1, where the forward direction
  // ends; with go_backwards the final state sits at T − 1 (src/cpu/reference.ts), for every length.
  if (config.head?.over === 'last') {
    throw new LstmError(
      'BACKEND_UNAVAILABLE',
      "lengths: the webgpu backend's dense head over 'last' does not yet read a go_backwards model's final state for sequences shorter than T; give full-length sequences (no lengths) or use the CPU backend (createBackend({ prefer: 'cpu' }), --backend cpu)",
    );
  }
}

import { formatShape } from '../../core/describe.js';
import { invalidParameter } from '../../core/errors.js';
import { enforceFinite, type NonFinitePolicy } from '../../core/non-finite.js';
import type { Tensor } from '../../core/tensor.js';

/**
 * A weight as a file stores it: its name (Keras's "lstm/lstm_cell/kernel:0", a TensorFlow.js
 * manifest's "sequential/lstm/lstm_cell/kernel", ...), its declared shape, and a way to read its
 * values — called only after the whole file's declared shapes have passed the memory budget.
 */
export interface StoredWeight {
  readonly name: string;
  readonly shape: readonly number[];
  read(): Float64Array;
}

/** Which direction of a Bidirectional layer a weight belongs to; null for any other layer. */
export type WeightPart = 'forward' | 'backward' | null;

/** What a layer builder asks a file for: the weights Keras names `names` (kernel, bias, ...), in that order. */
export interface WeightLookup {
  weights(layerName: string, part: WeightPart, names: readonly string[]): Tensor<Float64Array>[];
  /** Throws when a stored weight was never asked for: nothing is half-loaded. */
  checkAllUsed(): void;
}

/** The segments of a weight name, without TensorFlow's ":0" suffix. */
export function nameSegments(name: string): string[] {
  return name.replace(/:\d+$/, '').split('/');
}

function partOf(segments: readonly string[]): WeightPart {
  if (segments.some((s) => s.startsWith('forward'))) return 'forward';
  if (segments.some((s) => s.startsWith('backward'))) return 'backward';
  return null;
}

/** Reads a weight's values and refuses NaN and ±Infinity (a file's weights must be finite unless the caller says otherwise). */
export function readWeight(weight: StoredWeight, nonFinite: NonFinitePolicy): Tensor<Float64Array> {
  const data = weight.read();
  const count = weight.shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw invalidParameter(`weight ${JSON.stringify(weight.name)}: declared shape ${formatShape(weight.shape)} needs ${count} values, the file holds ${data.length}`);
  enforceFinite(nonFinite, `weight ${JSON.stringify(weight.name)}`, data, weight.shape, weight.shape.map((_, k) => `axis ${k}`), "the option nonFinite: 'propagate'");
  return { shape: [...weight.shape], data };
}

/**
 * Finds weights by name among those a file stores per layer (Keras 2 HDF5's weight_names, a
 * TensorFlow.js manifest): for layer L, part P and Keras name N, the one stored weight whose name
 * has L as a segment, ends with N, and (inside a Bidirectional) has a segment starting with
 * "forward" or "backward". Layer names are matched as whole segments, so "lstm" never takes
 * "lstm_1"'s weights, whatever prefix (a model name, a cell scope) surrounds them.
 */
export function lookupByName(stored: readonly StoredWeight[], nonFinite: NonFinitePolicy): WeightLookup {
  const used = new Set<StoredWeight>();
  return {
    weights(layerName, part, names) {
      return names.map((name) => {
        const found = stored.filter((w) => {
          const segments = nameSegments(w.name);
          return segments[segments.length - 1] === name && segments.slice(0, -1).includes(layerName) && (part === null || partOf(segments) === part);
        });
        const what = `layer ${JSON.stringify(layerName)}${part ? ` (${part} direction)` : ''}: weight ${JSON.stringify(name)}`;
        if (found.length === 0) throw invalidParameter(`${what} is missing from the file's weights`);
        if (found.length > 1) throw invalidParameter(`${what} is ambiguous: the file holds ${found.map((w) => JSON.stringify(w.name)).join(', ')}`);
        used.add(found[0]);
        return readWeight(found[0], nonFinite);
      });
    },
    checkAllUsed() {
      const unused = stored.filter((w) => !used.has(w));
      if (unused.length) throw invalidParameter(`the file holds weights no supported layer uses: ${unused.slice(0, 8).map((w) => JSON.stringify(w.name)).join(', ')}${unused.length > 8 ? `, and ${unused.length - 8} more` : ''}`);
    },
  };
}

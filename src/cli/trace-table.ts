import type { PreparedInput } from '../core/prepared-input.js';
import type { TraceEntry } from '../core/results.js';
import { directionCount, layerInputSize, type LstmConfig } from '../model/config.js';

/**
 * `run --trace` on the terminal: every gate and state of every step, the way seeds 002 and 004
 * print them (forget, input, candidate, cell, output, hidden, to 4 decimals), as one table per
 * layer, direction and sequence. Wide calls are cut to stay readable; the result file always holds
 * the whole trace.
 */

/** Units shown per step: all of them up to this H, the first ones beyond it. */
export const kTableUnits = 4;
/** Sequences shown per layer and direction. */
export const kTableSequences = 4;
/** Steps shown per sequence. */
export const kTableSteps = 50;
/** An input at most this wide is written out; a wider one is shown by its Euclidean norm, |x|. */
const kListedInputs = 4;

const kColumns = ['step', 'unit', 'x', 'forget', 'input', 'candidate', 'cell', 'output', 'hidden'] as const;
const kFieldOfColumn = { forget: 'f', input: 'i', candidate: 'g', cell: 'c', output: 'o', hidden: 'h' } as const;

const fixed = (v: number) => v.toFixed(4);

/** The trace as lines of text; `input` is the prepared (time-major) input of the traced call. */
export function traceTable(config: LstmConfig, input: PreparedInput, trace: readonly TraceEntry[]): string[] {
  const { steps: T, batch: B } = input;
  const H = config.hiddenSize;
  const D = directionCount(config);
  const units = Math.min(H, kTableUnits);
  const lines: string[] = [];
  const cuts = [
    H > units ? `units 0–${units - 1} of H = ${H}` : '',
    B > kTableSequences ? `sequences 0–${kTableSequences - 1} of B = ${B}` : '',
    T > kTableSteps ? `steps 1–${kTableSteps} of T = ${T}` : '',
  ].filter(Boolean);
  if (cuts.length) lines.push(`trace: showing ${cuts.join(', ')}; the result file holds every value`);

  for (const entry of trace) {
    const layerInput = layerInputAt(config, input, trace, entry.layer);
    for (let b = 0; b < Math.min(B, kTableSequences); b++) {
      const length = input.lengths ? input.lengths[b] : T;
      const direction = D === 1 ? '' : entry.direction === 0 ? ', forward' : ', reverse (run from its last step back)';
      const source = entry.layer > 0 ? ` (x: layer ${entry.layer - 1}'s h)` : '';
      if (lines.length > 0) lines.push('');
      lines.push(`layer ${entry.layer}${source}${direction}, sequence ${b}${length < T ? ` (length ${length})` : ''}:`);
      const rows: string[][] = [];
      for (let t = 0; t < Math.min(length, kTableSteps); t++) {
        for (let unit = 0; unit < units; unit++) {
          const at = (t * B + b) * H + unit;
          const row = [unit === 0 ? String(t + 1) : '', String(unit), unit === 0 ? describeInput(layerInput(t, b)) : ''];
          for (const column of kColumns.slice(3)) row.push(fixed(entry[kFieldOfColumn[column as keyof typeof kFieldOfColumn]][at]));
          rows.push(row);
        }
      }
      // One unit needs no unit column: the table then reads as the seeds print it.
      lines.push(...alignColumns(H === 1 ? [...kColumns].filter((c) => c !== 'unit') : [...kColumns], H === 1 ? rows.map((r) => r.filter((_, i) => i !== 1)) : rows));
    }
  }
  return lines;
}

/** x_t of sequence b as layer `layer` sees it: x itself, or the layer below's h of every direction. */
function layerInputAt(config: LstmConfig, input: PreparedInput, trace: readonly TraceEntry[], layer: number) {
  const B = input.batch;
  const H = config.hiddenSize;
  const width = layerInputSize(config, layer);
  if (layer === 0) return (t: number, b: number) => input.x.subarray((t * B + b) * width, (t * B + b + 1) * width);
  const below = trace.filter((e) => e.layer === layer - 1).sort((p, q) => p.direction - q.direction);
  return (t: number, b: number) => below.flatMap((e) => Array.from(e.h.subarray((t * B + b) * H, (t * B + b + 1) * H)));
}

function describeInput(values: ArrayLike<number>): string {
  if (values.length === 1) return fixed(values[0]);
  if (values.length <= kListedInputs) return `[${Array.from(values, fixed).join(' ')}]`;
  let sumOfSquares = 0;
  for (let k = 0; k < values.length; k++) sumOfSquares += values[k] * values[k];
  return `|x| ${fixed(Math.sqrt(sumOfSquares))}`;
}

/** Right-aligned columns under their names, two spaces apart. */
function alignColumns(names: readonly string[], rows: readonly string[][]): string[] {
  const widths = names.map((name, i) => Math.max(name.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padStart(widths[i])).join('  ');
  return [line(names), ...rows.map(line)];
}

import { kTraceFields, type ForwardResult, type TraceEntry } from '../core/results.js';
import { tensorToJSON } from './tensor-json.js';

type TensorJSON = ReturnType<typeof tensorToJSON>;

/** One layer and direction of a trace in the result file: i, f, g, o, c, h, each {shape: [T, B, H], data}. */
export type TraceEntryJSON = { layer: number; direction: number } & Record<(typeof kTraceFields)[number], TensorJSON>;

/** The result file's tensors: {"output", "h_n", "c_n"} in the {shape, data} form, and "trace" when recorded. */
export interface ResultJSON {
  output: TensorJSON;
  h_n: TensorJSON;
  c_n: TensorJSON;
  trace?: TraceEntryJSON[];
  /** The dense head's output, when the model has a head: [B, O], or [T, B, O] ([B, T, O] batch-first). */
  prediction?: TensorJSON;
}

/**
 * The result file's tensors. A trace is written per layer and direction, each field time-major
 * [T, B, H] by actual time step (zeros past a sequence's length), whatever the model's layout.
 */
export function resultToJSON(result: Pick<ForwardResult, 'output' | 'hN' | 'cN' | 'trace' | 'prediction'>): ResultJSON {
  const json: ResultJSON = { output: tensorToJSON(result.output), h_n: tensorToJSON(result.hN), c_n: tensorToJSON(result.cN) };
  // h_n is [L·D, B, H] in every layout, so it gives B and H; T follows from a trace field's size.
  const [, batch, hidden] = result.hN.shape;
  if (result.prediction) json.prediction = tensorToJSON(result.prediction);
  if (result.trace) json.trace = result.trace.map((entry) => traceEntryToJSON(entry, batch, hidden));
  return json;
}

function traceEntryToJSON(entry: TraceEntry, batch: number, hidden: number): TraceEntryJSON {
  const shape = [entry.h.length / (batch * hidden), batch, hidden];
  const fields = Object.fromEntries(kTraceFields.map((field) => [field, tensorToJSON({ shape, data: entry[field] })]));
  return { layer: entry.layer, direction: entry.direction, ...(fields as Record<(typeof kTraceFields)[number], TensorJSON>) };
}

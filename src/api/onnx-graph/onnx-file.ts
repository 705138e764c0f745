import { describeValue } from '../../core/describe.js';
import { invalidArgument } from '../../core/errors.js';
import { checkMaxBytes } from '../../formats/budget.js';
import { decodeModel, toInteger, type GraphProto, type ValueInfoProto } from '../../formats/onnx/proto.js';
import { ReadBudget } from '../../formats/onnx/tensors.js';
import { compileGraph } from './graph-compile.js';
import type { Program } from './stack-fusion.js';

/** An ONNX file decoded and compiled (constants folded), as the session and the model reader both start. */
export interface CompiledOnnxFile {
  readonly graph: GraphProto;
  /** The default domain's opset the file imports (1 where it names none). */
  readonly opset: number;
  /** The graph's inputs that are not initializers: what a call feeds. */
  readonly inputs: readonly ValueInfoProto[];
  readonly program: Program;
  readonly budget: ReadBudget;
  readonly maxBytes: number;
}

/**
 * Checks `bytes` and `maxBytes`, charges the file to the byte budget before decoding it, decodes it
 * and compiles its graph. INVALID_ARGUMENT for anything but a Uint8Array or a file without a graph.
 */
export function compileOnnxFile(bytes: Uint8Array, maxBytesOption: unknown): CompiledOnnxFile {
  const maxBytes = checkMaxBytes('maxBytes', maxBytesOption);
  if (!(bytes instanceof Uint8Array)) throw invalidArgument(`onnx: expected the file's bytes (a Uint8Array), got ${describeValue(bytes)}`);
  const budget = new ReadBudget(maxBytes);
  budget.charge('the file itself', Math.ceil(bytes.length / 8));
  const proto = decodeModel(bytes);
  const graph = proto.graph;
  if (!graph) throw invalidArgument('onnx: the file has no graph');
  const opset = toInteger('opset_import', (proto.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 1);
  const inputs = (graph.input ?? []).filter((i) => !(graph.initializer ?? []).some((t) => t.name === i.name));
  const program = compileGraph(graph, { opset, budget, maxBytes }, new Map(), new Set(inputs.map((i) => i.name ?? '')), 'the graph');
  return { graph, opset, inputs, program, budget, maxBytes };
}

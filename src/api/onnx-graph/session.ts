import { describeValue, formatShape } from '../../core/describe.js';
import { invalidArgument, invalidShape } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { referenceResult } from '../runner.js';
import { checkMaxBytes } from '../../formats/budget.js';
import { attributeValue, type AttributeValue } from '../../formats/onnx/attributes.js';
import { decodeModel, kDataType, toInteger, type NodeProto, type TensorProto } from '../../formats/onnx/proto.js';
import { ReadBudget, readTensor } from '../../formats/onnx/tensors.js';
import type { HostTensor } from './host-tensor.js';
import { lstmNodeModel, runLstmNode, type LstmForward, type LstmNodeModel } from './lstm-exec.js';
import type { HostOp, OpContext } from './op-context.js';
import { kElementwiseOps } from './ops-elementwise.js';
import { kMathOps } from './ops-math.js';
import { kShapeOps } from './ops-shape.js';

/** Every op the host interpreter runs (float64), besides LSTM (the backend) and Constant (folded at load). */
export const kHostOps: Readonly<Record<string, HostOp>> = { ...kElementwiseOps, ...kShapeOps, ...kMathOps };
export const kSupportedOps = ['LSTM', 'Constant', ...Object.keys(kHostOps)].sort();

const kIntTypes = new Set([2, 3, 4, 5, 6, 7, 9, 12, 13]);

export interface OnnxSessionOptions {
  /** Bytes the file, its tensors and every value computed from it may take (as float64); unlimited when absent. */
  readonly maxBytes?: number;
  /** Runs each LSTM node; the float64 CPU reference when absent. */
  readonly forward?: LstmForward;
}

/** A graph value given to or returned by run: a shape, its values, and whether ONNX types it as an integer. */
export interface OnnxValue extends Tensor<Float64Array> {
  readonly integer: boolean;
}

interface Step {
  readonly node: NodeProto;
  readonly where: string;
  readonly attributes: Map<string, unknown>;
  readonly lstm: LstmNodeModel | null;
}

function tensorOf(what: string, proto: TensorProto, budget: ReadBudget): HostTensor {
  const t = readTensor(what, proto, budget);
  return { dims: t.dims, data: t.data, int: kIntTypes.has(proto.dataType ?? 0) };
}

/** A Constant node's value (value, value_float(s), value_int(s)). */
function constantValue(where: string, attrs: Map<string, unknown>, budget: ReadBudget): HostTensor {
  const [name, v] = [...attrs][0] ?? [];
  if (name === 'value') return tensorOf(where, v as TensorProto, budget);
  if (name === 'value_float' || name === 'value_int') return { dims: [], data: Float64Array.of(v as number), int: name === 'value_int' };
  if (name === 'value_floats' || name === 'value_ints') return { dims: [(v as number[]).length], data: Float64Array.from(v as number[]), int: name === 'value_ints' };
  throw invalidArgument(`${where}: a Constant needs value, value_float(s) or value_int(s), got ${describeValue(name)}`);
}

/**
 * An ONNX model as a graph that runs node by node, as onnxruntime runs it: nodes are ordered
 * topologically at load; every node whose inputs are all constant is evaluated once then
 * (so W, R, B computed in the graph become weights); LSTM nodes run through `forward` (a backend),
 * every other node in a float64 host interpreter (kHostOps). Malformed graphs (a cycle, a value
 * nothing defines, an op outside kSupportedOps) are INVALID_ARGUMENT naming the node, at load.
 *
 * @example
 * const session = OnnxSession.create(bytes);
 * const out = await session.run({ [session.inputNames[0]]: { shape: [T, B, I], data } });
 */
export class OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** The LSTM nodes, in run order, as our one-layer models. */
  readonly lstmNodes: readonly LstmNodeModel[];
  /** Op type → count over the nodes left to run after folding. */
  readonly opCounts: ReadonlyMap<string, number>;
  private readonly inputTypes: Map<string, boolean>;

  private constructor(
    private readonly steps: readonly Step[],
    private readonly constants: ReadonlyMap<string, HostTensor>,
    inputs: { name: string; integer: boolean }[],
    outputs: string[],
    private readonly opset: number,
    private readonly maxBytes: number,
    private readonly forward: LstmForward,
  ) {
    this.inputNames = inputs.map((i) => i.name);
    this.inputTypes = new Map(inputs.map((i) => [i.name, i.integer]));
    this.outputNames = outputs;
    this.lstmNodes = steps.flatMap((s) => (s.lstm ? [s.lstm] : []));
    const counts = new Map<string, number>();
    for (const s of steps) counts.set(s.node.opType ?? '', (counts.get(s.node.opType ?? '') ?? 0) + 1);
    this.opCounts = counts;
  }

  static async create(bytes: Uint8Array, options: OnnxSessionOptions = {}): Promise<OnnxSession> {
    const maxBytes = checkMaxBytes('maxBytes', options.maxBytes);
    if (!(bytes instanceof Uint8Array)) throw invalidArgument(`onnx: expected the file's bytes (a Uint8Array), got ${describeValue(bytes)}`);
    const budget = new ReadBudget(maxBytes);
    budget.charge('the file itself', Math.ceil(bytes.length / 8));
    const proto = decodeModel(bytes);
    const graph = proto.graph;
    if (!graph) throw invalidArgument('onnx: the file has no graph');
    const opsetEntry = (proto.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
    const opset = toInteger('opset_import', opsetEntry?.version ?? 1);
    const constants = new Map<string, HostTensor>();
    for (const [k, init] of (graph.initializer ?? []).entries()) constants.set(init.name ?? '', tensorOf(`initializer ${JSON.stringify(init.name ?? k)}`, init, budget));
    const inputs = (graph.input ?? []).filter((i) => !constants.has(i.name ?? '')).map((i) => ({ name: i.name ?? '', integer: kIntTypes.has(i.type?.tensorType?.elemType ?? 1) }));
    const dynamic = new Set(inputs.map((i) => i.name));
    const nodes = graph.node ?? [];
    const order = topologicalOrder(nodes, new Set([...constants.keys(), ...dynamic]));
    const steps: Step[] = [];
    const forward = options.forward ?? ((model, x, o) => referenceResult(model, x, o));
    for (const k of order) {
      const node = nodes[k];
      const where = `node ${JSON.stringify(node.name || `#${k}`)} (${node.opType})`;
      const op = node.opType ?? '';
      if (node.domain && node.domain !== 'ai.onnx') throw unsupported(where, node, opset);
      const attributes = new Map<string, unknown>();
      for (const a of node.attribute ?? []) attributes.set(a.name ?? '', attributeValue(where, a));
      if (op === 'Constant') {
        constants.set(node.output?.[0] ?? '', constantValue(where, attributes, budget));
        continue;
      }
      if (op === 'ConstantOfShape' && attributes.get('value')) attributes.set('__value', tensorOf(`${where}.value`, attributes.get('value') as TensorProto, budget));
      if (op === 'Split') attributes.set('__outputs', node.output?.length ?? 1);
      if (op === 'LSTM') {
        const names = node.input ?? [];
        const lstm = lstmNodeModel(where, node, (j) => (!names[j] ? null : constants.get(names[j]) ?? 'dynamic'));
        steps.push({ node, where, attributes, lstm });
        for (const o of node.output ?? []) if (o) dynamic.add(o);
        continue;
      }
      const run = kHostOps[op];
      if (!run) throw unsupported(where, node, opset);
      const ins = (node.input ?? []).map((n) => (n === '' ? null : n));
      if (ins.every((n) => n === null || constants.has(n))) {
        // Constant folding: evaluated once, here, under the same budget.
        const outs = run({ where, inputs: ins.map((n) => (n === null ? null : constants.get(n)!)), attributes, opset, maxBytes });
        (node.output ?? []).forEach((o, j) => o && outs[j] && constants.set(o, outs[j]));
        continue;
      }
      steps.push({ node, where, attributes, lstm: null });
    }
    const outputs = (graph.output ?? []).map((o) => o.name ?? '');
    for (const o of outputs) if (!constants.has(o) && !steps.some((s) => s.node.output?.includes(o)) && !dynamic.has(o)) throw invalidArgument(`onnx: graph output ${JSON.stringify(o)} is made by no node`);
    return new OnnxSession(steps, constants, inputs, outputs, opset, maxBytes, forward);
  }

  /** Runs the graph on `feeds` (by graph input name) and returns every graph output by name. */
  async run(feeds: Record<string, Tensor<ArrayLike<number>>>): Promise<Map<string, OnnxValue>> {
    if (feeds === null || typeof feeds !== 'object') throw invalidArgument(`feeds: expected { [input name]: { shape, data } }, got ${describeValue(feeds)}`);
    const values = new Map<string, HostTensor>(this.constants);
    for (const name of Object.keys(feeds)) if (!this.inputTypes.has(name)) throw invalidArgument(`feeds.${name}: the graph has no such input; its inputs are ${this.inputNames.join(', ')}`);
    for (const name of this.inputNames) {
      const t = feeds[name];
      if (!t) throw invalidArgument(`feeds.${name}: missing; the graph's inputs are ${this.inputNames.join(', ')}`);
      const dims = [...t.shape];
      const n = dims.reduce((a, b) => a * b, 1);
      if (t.data.length !== n) throw invalidShape(`feeds.${name}: shape ${formatShape(dims)} holds ${n} values, got ${t.data.length}`);
      const data = Float64Array.from(t.data as ArrayLike<number>, Number);
      values.set(name, { dims, data, int: this.inputTypes.get(name)! });
    }
    for (const step of this.steps) {
      const inputs = (step.node.input ?? []).map((n) => {
        if (n === '') return null;
        const v = values.get(n);
        if (!v) throw invalidArgument(`${step.where}: input ${JSON.stringify(n)} has no value`);
        return v;
      });
      const outs = step.lstm
        ? await runLstmNode(step.lstm, inputs, this.forward, this.maxBytes)
        : kHostOps[step.node.opType ?? ''](this.context(step, inputs));
      (step.node.output ?? []).forEach((o, j) => o && outs[j] && values.set(o, outs[j]));
    }
    return new Map(this.outputNames.map((name) => {
      const v = values.get(name)!;
      return [name, { shape: [...v.dims], data: v.data, integer: v.int }];
    }));
  }

  private context(step: Step, inputs: (HostTensor | null)[]): OpContext {
    return { where: step.where, inputs, attributes: step.attributes, opset: this.opset, maxBytes: this.maxBytes };
  }
}

function unsupported(where: string, node: NodeProto, opset: number) {
  return invalidArgument(`${where}: op ${JSON.stringify(node.opType)} of domain ${JSON.stringify(node.domain || 'ai.onnx')} (opset ${opset}) is not supported; supported: ${kSupportedOps.join(', ')}`);
}

/** Kahn's order over the nodes; a cycle or a value nothing defines is refused, naming the node. */
function topologicalOrder(nodes: readonly NodeProto[], given: ReadonlySet<string>): number[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, k) => (n.output ?? []).forEach((o) => o && producer.set(o, k)));
  const where = (k: number) => `node ${JSON.stringify(nodes[k].name || `#${k}`)} (${nodes[k].opType})`;
  const pending = nodes.map((n, k) => {
    const deps = new Set<number>();
    for (const i of n.input ?? []) {
      if (i === '' || given.has(i)) continue;
      const p = producer.get(i);
      if (p === undefined) throw invalidArgument(`onnx: ${where(k)} reads ${JSON.stringify(i)}, which no initializer, graph input or node defines`);
      deps.add(p);
    }
    return deps;
  });
  const users = nodes.map(() => [] as number[]);
  pending.forEach((deps, k) => deps.forEach((p) => users[p].push(k)));
  const ready = pending.flatMap((d, k) => (d.size === 0 ? [k] : []));
  const order: number[] = [];
  while (ready.length) {
    const k = ready.shift()!;
    order.push(k);
    for (const u of users[k]) {
      pending[u].delete(k);
      if (pending[u].size === 0) ready.push(u);
    }
  }
  if (order.length !== nodes.length) {
    const stuck = nodes.findIndex((_, k) => !order.includes(k));
    throw invalidArgument(`onnx: the graph has a cycle through ${where(stuck)}`);
  }
  return order;
}

export { kDataType };

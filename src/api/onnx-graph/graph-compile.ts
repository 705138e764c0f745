import { describeValue } from '../../core/describe.js';
import { invalidArgument } from '../../core/errors.js';
import { attributeValue } from '../../formats/onnx/attributes.js';
import type { GraphProto, NodeProto, TensorProto } from '../../formats/onnx/proto.js';
import { readTensor, type ReadBudget } from '../../formats/onnx/tensors.js';
import { topologicalOrder } from './graph-order.js';
import type { HostTensor } from './host-tensor.js';
import { lstmNodeModel } from './lstm-exec.js';
import { kHostOps, kSupportedOps } from './host-ops.js';
import type { Program, Step } from './stack-fusion.js';

const kIntTypes = new Set([2, 3, 4, 5, 6, 7, 9, 12, 13]);

function tensorOf(what: string, proto: TensorProto, budget: ReadBudget): HostTensor {
  const t = readTensor(what, proto, budget);
  return { dims: t.dims, data: t.data, int: kIntTypes.has(proto.dataType ?? 0) };
}

/** A Constant node's value (value, value_float(s), value_int(s)). */
function constantValue(where: string, attrs: Map<string, unknown>, budget: ReadBudget): HostTensor {
  const [name, v] = [...attrs][0] ?? [];
  if (name === 'value') {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalidArgument(`${where}.value: expected a tensor, got ${describeValue(v)}`);
    return tensorOf(where, v as TensorProto, budget);
  }
  if (name === 'value_float' || name === 'value_int') return { dims: [], data: Float64Array.of(v as number), int: name === 'value_int' };
  if (name === 'value_floats' || name === 'value_ints') return { dims: [(v as number[]).length], data: Float64Array.from(v as number[]), int: name === 'value_ints' };
  throw invalidArgument(`${where}: a Constant needs value, value_float(s) or value_int(s), got ${describeValue(name)}`);
}

export interface CompileEnv {
  readonly opset: number;
  readonly budget: ReadBudget;
  readonly maxBytes: number;
}

/** The names a subgraph reads from the scopes around it (ONNX's implicit inputs of If). */
function outerReads(graph: GraphProto): string[] {
  const defined = new Set([...(graph.initializer ?? []).map((t) => t.name ?? ''), ...(graph.input ?? []).map((i) => i.name ?? ''), ...(graph.node ?? []).flatMap((n) => n.output ?? [])]);
  const reads = (graph.node ?? []).flatMap((n) => [...(n.input ?? []), ...(n.attribute ?? []).flatMap((a) => (a.g ? outerReads(a.g) : []))]);
  return [...new Set([...reads, ...(graph.output ?? []).map((o) => o.name ?? '')])].filter((n) => n && !defined.has(n));
}

/**
 * A graph (the model's, or an If branch inside it) compiled to steps: ordered topologically, every
 * node whose inputs are all constant evaluated once here (constant folding), LSTM nodes built
 * into our models. `outer` holds the constants of the scopes around it; `known` the names they define.
 */
export function compileGraph(graph: GraphProto, env: CompileEnv, outer: ReadonlyMap<string, HostTensor>, known: ReadonlySet<string>, what: string): Program {
  const { opset, budget, maxBytes } = env;
  const constants = new Map<string, HostTensor>(outer);
  for (const [k, init] of (graph.initializer ?? []).entries()) constants.set(init.name ?? '', tensorOf(`initializer ${JSON.stringify(init.name ?? k)}`, init, budget));
  const dynamic = new Set([...known].filter((n) => !constants.has(n)));
  for (const i of graph.input ?? []) if (!constants.has(i.name ?? '')) dynamic.add(i.name ?? '');
  const nodes = graph.node ?? [];
  // The op type as it is when it is a name, quoted (escaped) when a hostile file made it anything else: errors stay one line.
  const opName = (op: string | undefined) => (/^\w*$/.test(op ?? '') ? op : JSON.stringify(op));
  const whereOf = (k: number) => `node ${JSON.stringify(nodes[k].name || `#${k}`)} (${opName(nodes[k].opType)})`;
  const implicit = nodes.map((n) => (n.attribute ?? []).flatMap((a) => (a.g ? outerReads(a.g) : [])));
  const order = topologicalOrder(nodes.map((n, k) => ({ where: whereOf(k), reads: [...(n.input ?? []), ...implicit[k]], writes: n.output ?? [] })), new Set([...constants.keys(), ...dynamic]));
  const steps: Step[] = [];
  for (const k of order) {
    const node = nodes[k];
    const where = whereOf(k);
    const op = node.opType ?? '';
    if (node.domain && node.domain !== 'ai.onnx') throw unsupported(where, node, opset);
    if (op === 'If') {
      const branch = (name: string) => {
        const g = node.attribute?.find((a) => a.name === name)?.g;
        if (!g) throw invalidArgument(`${where}: ${name} (a graph attribute) is required`);
        return compileGraph(g, env, constants, new Set([...constants.keys(), ...dynamic]), `${where}.${name}`);
      };
      const branches = { then: branch('then_branch'), else: branch('else_branch'), outer: implicit[k] };
      if (branches.then.outputs.length !== (node.output ?? []).length || branches.else.outputs.length !== (node.output ?? []).length) throw invalidArgument(`${where}: each branch must give ${(node.output ?? []).length} outputs, got ${branches.then.outputs.length} and ${branches.else.outputs.length}`);
      steps.push({ node, where, attributes: new Map(), lstm: null, stack: null, branches });
      for (const o of node.output ?? []) if (o) dynamic.add(o);
      continue;
    }
    const attributes = new Map<string, unknown>();
    for (const a of node.attribute ?? []) attributes.set(a.name ?? '', attributeValue(where, a));
    if (op === 'Constant') {
      constants.set(node.output?.[0] ?? '', constantValue(where, attributes, budget));
      continue;
    }
    if (op === 'ConstantOfShape' && attributes.has('value')) {
      const v = attributes.get('value');
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalidArgument(`${where}.value: expected a one-value tensor, got ${describeValue(v)}`);
      attributes.set('__value', tensorOf(`${where}.value`, v as TensorProto, budget));
    }
    if (op === 'Split') attributes.set('__outputs', node.output?.length ?? 1);
    if (op === 'LSTM') {
      const names = node.input ?? [];
      const lstm = lstmNodeModel(where, node, (j) => (!names[j] ? null : constants.get(names[j]) ?? 'dynamic'), opset);
      steps.push({ node, where, attributes, lstm, stack: null });
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
    steps.push({ node, where, attributes, lstm: null, stack: null });
    for (const o of node.output ?? []) if (o) dynamic.add(o);
  }
  const outputs = (graph.output ?? []).map((o) => o.name ?? '');
  for (const o of outputs) if (!constants.has(o) && !dynamic.has(o)) throw invalidArgument(`onnx: ${what}'s output ${JSON.stringify(o)} is made by no node`);
  return { steps, constants, outputs };
}

function unsupported(where: string, node: NodeProto, opset: number) {
  return invalidArgument(`${where}: op ${JSON.stringify(node.opType)} of domain ${JSON.stringify(node.domain || 'ai.onnx')} (opset ${opset}) is not supported; supported: ${kSupportedOps.join(', ')}`);
}

import { describeValue, formatShape } from '../../core/describe.js';
import { invalidArgument, invalidShape } from '../../core/errors.js';
import type { LSTM } from '../../model/lstm.js';
import type { Backend } from '../backend.js';
import { referenceResult, type Runner } from '../runner.js';
import { kDataType, type NodeProto } from '../../formats/onnx/proto.js';
import { elementType, feedTensor, outputValue, type OnnxElementType, type OnnxFeed, type OnnxValue } from './dtypes.js';
import { compileOnnxFile } from './onnx-file.js';
import { kHostOps, kSupportedOps } from './host-ops.js';
import type { HostTensor } from './host-tensor.js';
import { runLstmNode, runLstmStack, type LstmForward, type LstmNodeModel } from './lstm-exec.js';
import type { OpContext } from './op-context.js';
import { ShapeCache } from './shape-cache.js';
import { fuseStacks, gluePasses, probeKey, yDims, zeroState, type Step } from './stack-fusion.js';

export type { OnnxElementType, OnnxFeed, OnnxValue };

export { kHostOps, kSupportedOps };

export interface OnnxSessionOptions {
  /** Bytes the file, its tensors and every value computed from it may take (as float64); unlimited when absent. */
  readonly maxBytes?: number;
  /** The backend the LSTM nodes run on (each node, or fused stack, is loaded on it at create); the float64 CPU reference when absent. */
  readonly backend?: Pick<Backend, 'load'>;
  /** Runs each LSTM node instead of a backend (tests, custom engines). */
  readonly forward?: LstmForward;
  /** Fuse consecutive LSTM nodes joined only by layout glue into one stack call (default true). */
  readonly fuseStacks?: boolean;
}

/** Where a node of the file runs: on the backend (an LSTM, alone or in a fused stack), on the host, or folded at load. */
export interface NodePlacement {
  readonly node: string;
  readonly opType: string;
  readonly on: 'backend' | 'host' | 'folded';
  /** The fused stack's name, for LSTM nodes and glue run as one call. */
  readonly stack?: string;
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
  /** Each graph input's and output's declared element type, by name. */
  readonly inputTypes: ReadonlyMap<string, OnnxElementType>;
  readonly outputTypes: ReadonlyMap<string, OnnxElementType>;
  /** The LSTM nodes, in run order, as our one-layer models. */
  readonly lstmNodes: readonly LstmNodeModel[];
  /** Op type → count over the file's nodes. */
  readonly opCounts: ReadonlyMap<string, number>;
  /** Every node of the file and where it runs. */
  readonly placement: readonly NodePlacement[];
  private readonly forwards = new Map<LSTM, LstmForward>();
  private readonly runners: Runner[] = [];
  private readonly shapes: ShapeCache;

  private constructor(
    private readonly steps: readonly Step[],
    private readonly constants: ReadonlyMap<string, HostTensor>,
    inputs: { name: string; type: OnnxElementType }[],
    outputs: { name: string; type: OnnxElementType }[],
    private readonly opset: number,
    private readonly maxBytes: number,
    nodes: readonly NodeProto[],
  ) {
    this.inputNames = inputs.map((i) => i.name);
    this.inputTypes = new Map(inputs.map((i) => [i.name, i.type]));
    this.outputNames = outputs.map((o) => o.name);
    this.outputTypes = new Map(outputs.map((o) => [o.name, o.type]));
    this.shapes = new ShapeCache(steps, this.inputNames, new Set(this.outputNames));
    this.lstmNodes = steps.flatMap((s) => (s.lstm ? [s.lstm] : s.stack ? s.stack.layers.map((l) => l.lstm!) : []));
    const counts = new Map<string, number>();
    for (const n of nodes) counts.set(n.opType ?? '', (counts.get(n.opType ?? '') ?? 0) + 1);
    this.opCounts = counts;
    const where = new Map<NodeProto, string>();
    for (const s of steps) {
      if (s.stack) for (const m of s.stack.steps) where.set(m.node, `stack:${s.node.name ?? ''}`);
      else where.set(s.node, s.lstm ? 'backend' : 'host');
    }
    this.placement = nodes.map((n): NodePlacement => {
      const w = where.get(n);
      const base = { node: n.name ?? '', opType: n.opType ?? '' };
      if (w === undefined) return { ...base, on: 'folded' };
      if (w === 'backend' || w === 'host') return { ...base, on: w };
      return { ...base, on: n.opType === 'LSTM' ? 'backend' : 'host', stack: w.slice(6) };
    });
  }

  static async create(bytes: Uint8Array, options: OnnxSessionOptions = {}): Promise<OnnxSession> {
    const { graph, opset, inputs: graphInputs, program, maxBytes } = compileOnnxFile(bytes, options.maxBytes);
    const inputs = graphInputs.map((i) => ({ name: i.name ?? '', type: elementType(i.type?.tensorType?.elemType, false) }));
    const constants = program.constants;
    let steps = [...program.steps];
    const nodes = graph.node ?? [];
    const outputNames = program.outputs;
    if (options.fuseStacks !== false) steps = fuseStacks(steps, new Set([...constants.keys(), ...inputs.map((i) => i.name)]), new Set(outputNames));
    const outputs = (graph.output ?? []).map((o) => ({ name: o.name ?? '', type: elementType(o.type?.tensorType?.elemType, constants.get(o.name ?? '')?.int ?? false) }));
    const session = new OnnxSession(steps, constants, inputs, outputs, opset, maxBytes, nodes);
    await session.bind(options);
    return session;
  }

  /** Loads every LSTM node (or fused stack) on the backend, or binds `forward` / the CPU reference. */
  private async bind(options: OnnxSessionOptions): Promise<void> {
    const modelsOf = (steps: readonly Step[]): LSTM[] =>
      steps.flatMap((s) => (s.lstm ? [s.lstm.model] : s.stack ? [s.stack.model.model, ...s.stack.layers.map((l) => l.lstm!.model)] : s.branches ? [...modelsOf(s.branches.then.steps), ...modelsOf(s.branches.else.steps)] : []));
    const models = modelsOf(this.steps);
    const fallback: LstmForward = options.forward ?? ((model, x, o) => referenceResult(model, x, o));
    try {
      for (const model of models) {
        if (!options.backend || options.forward) {
          this.forwards.set(model, fallback);
          continue;
        }
        const runner = await options.backend.load(model);
        this.runners.push(runner);
        this.forwards.set(model, (_, x, o) => runner.forward(x, o));
      }
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /** Frees the runners loaded on the backend; safe to call twice. */
  dispose(): void {
    for (const r of this.runners.splice(0)) r.dispose();
  }

  /**
   * Runs the graph on `feeds` (by graph input name, as onnxruntime's `session.run`) and returns
   * every graph output by name: `{ [output name]: { type, dims, data } }`. Integer inputs take
   * numbers or bigints (int64 as a BigInt64Array); integer outputs come back in their own type.
   */
  async run(feeds: Record<string, OnnxFeed>): Promise<Record<string, OnnxValue>> {
    if (feeds === null || typeof feeds !== 'object') throw invalidArgument(`feeds: expected { [input name]: { dims, data } }, got ${describeValue(feeds)}`);
    const values = new Map<string, HostTensor>(this.constants);
    for (const name of Object.keys(feeds)) if (!this.inputTypes.has(name)) throw invalidArgument(`feeds.${name}: the graph has no such input; its inputs are ${this.inputNames.join(', ')}`);
    const fed = new Set<ArrayBufferLike>();
    for (const name of this.inputNames) {
      const t = feeds[name];
      if (!t) throw invalidArgument(`feeds.${name}: missing; the graph's inputs are ${this.inputNames.join(', ')}`);
      const tensor = feedTensor(name, t, this.inputTypes.get(name)!);
      if (tensor.data === t.data) fed.add(tensor.data.buffer);
      values.set(name, tensor);
    }
    const key = this.shapes.key(values);
    const cached = key !== null && this.shapes.restore(key, values);
    for (const step of this.steps) {
      if (cached && this.shapes.skipped.has(step)) continue;
      const pending = this.runStep(step, values);
      if (pending) await pending;
    }
    if (key !== null && !cached) this.shapes.store(key, values);
    return Object.fromEntries(this.outputNames.map((name) => {
      // A node may name more outputs than its op gives (Dropout-1's mask, a hostile file's LSTM turned Relu).
      const value = values.get(name);
      if (!value) throw invalidArgument(`onnx: graph output ${JSON.stringify(name)} got no value: the node that names it does not give that many outputs`);
      // A feed's own array passed through (Identity, Reshape), or one of the session's constants: the output is a copy.
      const own = fed.has(value.data.buffer) || this.constants.get(name) === value ? { ...value, data: value.data.slice() } : value;
      return [name, outputValue(own, this.outputTypes.get(name)!)];
    }));
  }

  /** Runs one step; a promise only where it calls an LSTM forward (host ops run synchronously). */
  private runStep(step: Step, values: Map<string, HostTensor>): Promise<void> | undefined {
    if (step.stack) return this.runStack(step, values);
    if (step.branches) return this.runBranch(step, values);
    const inputs = (step.node.input ?? []).map((n) => (n === '' ? null : this.get(step, values, n)));
    if (step.lstm) return runLstmNode(step.lstm, inputs, this.forwards.get(step.lstm.model)!, this.maxBytes).then((outs) => setOutputs(step.node.output ?? [], outs, values));
    setOutputs(step.node.output ?? [], kHostOps[step.node.opType ?? ''](this.context(step, inputs)), values);
    return undefined;
  }

  private get(step: Step, values: ReadonlyMap<string, HostTensor>, n: string | undefined): HostTensor | null {
    if (!n) return null;
    const v = values.get(n);
    if (!v) throw invalidArgument(`${step.where}: input ${JSON.stringify(n)} has no value`);
    return v;
  }

  private async runStack(step: Step, values: Map<string, HostTensor>): Promise<void> {
    const stack = step.stack!;
    const first = stack.layers[0];
    const x = this.get(step, values, first.node.input?.[0]);
    if (x && x.dims.length === 3 && this.glueHolds(step, x, values)) {
      // A state the joins compute from shapes was found all zeros by the probe: the forward's default.
      const state = (n: string | undefined) => (n && stack.derived.has(n) ? null : this.get(step, values, n));
      const states = stack.layers.map((l) => ({ h: state(l.node.input?.[5]), c: state(l.node.input?.[6]) }));
      const r = await runLstmStack(stack.model, x, this.get(step, values, first.node.input?.[4]), states, this.forwards.get(stack.model.model)!, this.maxBytes);
      setOutputs(step.node.output ?? [], [r.y, ...r.yh.flatMap((h, l) => [h, r.yc[l]])], values);
      return;
    }
    for (const s of stack.steps) {
      const pending = this.runStep(s, values);
      if (pending) await pending;
    }
  }

  /** ONNX's If: one branch runs, in a scope that sees every outer value; its outputs are the node's. */
  private async runBranch(step: Step, values: Map<string, HostTensor>): Promise<void> {
    const cond = this.get(step, values, step.node.input?.[0]);
    if (!cond || cond.data.length !== 1) throw invalidArgument(`${step.where}: cond must be one boolean, got ${cond ? formatShape([...cond.dims]) : 'nothing'}`);
    const branch = cond.data[0] !== 0 ? step.branches!.then : step.branches!.else;
    const scope = new Map(values);
    for (const [name, t] of branch.constants) if (!scope.has(name)) scope.set(name, t);
    for (const s of branch.steps) {
      const pending = this.runStep(s, scope);
      if (pending) await pending;
    }
    setOutputs(step.node.output ?? [], branch.outputs.map((o) => scope.get(o)!), values);
  }

  /** Whether every join of the stack passes its probe at this X's shape (cached per shape and the joins' other inputs). */
  private glueHolds(step: Step, x: HostTensor, values: ReadonlyMap<string, HostTensor>): boolean {
    const stack = step.stack!;
    const y = yDims(stack.model, x.dims);
    return stack.joins.every((glue, k) => {
      const yName = stack.layers[k].node.output![0];
      const key = probeKey(k, y, stack.extras[k].map((i) => values.get(i)));
      const known = key === null ? undefined : stack.checked.get(key);
      if (known !== undefined) return known;
      let ok: boolean;
      try {
        const local = new Map(values);
        const n = y.reduce((a, b) => a * b, 1);
        local.set(yName, { dims: y, data: Float64Array.from({ length: n }, (_, i) => i), int: false });
        for (const g of glue) {
          const ins = (g.node.input ?? []).map((i) => (i === '' ? null : (local.get(i) ?? null)));
          kHostOps[g.node.opType ?? ''](this.context(g, ins)).forEach((t, j) => g.node.output?.[j] && local.set(g.node.output[j], t));
        }
        const next = stack.layers[k + 1].node.input!;
        ok = gluePasses(stack.model, y, local.get(next[0])) && [next[5], next[6]].every((n) => !n || !stack.derived.has(n) || zeroState(stack.model, x.dims, local.get(n)));
      } catch {
        ok = false; // the glue refuses this shape: the nodes run one by one and say why
      }
      if (key !== null) stack.checked.set(key, ok);
      return ok;
    });
  }

  private context(step: Step, inputs: (HostTensor | null)[]): OpContext {
    return { where: step.where, inputs, attributes: step.attributes, opset: this.opset, maxBytes: this.maxBytes };
  }
}


function setOutputs(names: readonly string[], outs: readonly HostTensor[], values: Map<string, HostTensor>): void {
  names.forEach((o, j) => o && outs[j] && values.set(o, outs[j]));
}

export { kDataType };

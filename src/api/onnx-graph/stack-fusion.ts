import type { NodeProto } from '../../formats/onnx/proto.js';
import { topologicalOrder } from './graph-order.js';
import type { HostTensor } from './host-tensor.js';
import { stackModel, type LstmNodeModel } from './lstm-exec.js';

/** A node of the graph as the session runs it. */
export interface Step {
  readonly node: NodeProto;
  readonly where: string;
  readonly attributes: Map<string, unknown>;
  readonly lstm: LstmNodeModel | null;
  /** Consecutive LSTM nodes fused into one stack call (node is then a synthetic one naming them). */
  readonly stack: FusedStack | null;
  /** An If node's branches, and the outer values they read (implicit inputs). */
  readonly branches?: { readonly then: Program; readonly else: Program; readonly outer: readonly string[] };
}

/** A graph compiled to run: its steps in order, its constants (initializers, Constants, folded values), its outputs. */
export interface Program {
  readonly steps: readonly Step[];
  readonly constants: ReadonlyMap<string, HostTensor>;
  readonly outputs: readonly string[];
}

/**
 * LSTM nodes joined only by layout glue, run as one multi-layer model: no host round trip (and no
 * GPU readback) between the layers. The glue is checked at run time, per input shape, by running it
 * on element indices (probe): the fused call is taken only where the glue gives each next layer
 * exactly the previous layer's Y as [T, B, D·H] ([B, T, D·H] for layout 1), and every state a join
 * computes from shapes (`derived`) is all zeros of [D, B, H] ([B, D, H]); otherwise the nodes
 * run one by one (`steps`, in graph order), so fusion never changes a result.
 */
export interface FusedStack {
  readonly model: LstmNodeModel;
  readonly layers: readonly Step[];
  /** joins[k]: the glue between layers k and k + 1 and the state chains read from its shapes, in run order. */
  readonly joins: readonly (readonly Step[])[];
  /** Values the joins compute from shapes alone: a layer's initial_h / initial_c named here is taken as zeros where the probe found zeros of [D, B, H]. */
  readonly derived: ReadonlySet<string>;
  /** Every step of the chain in graph order: the fallback. */
  readonly steps: readonly Step[];
  /** extras[k]: the names join k reads from outside it (shapes, axes, constants), in its probe's key. */
  readonly extras: readonly (readonly string[])[];
  /** Probe results by shape and glue inputs (see probeKey). */
  readonly checked: Map<string, boolean>;
}

/** Ops that only move elements (the glue exporters put between LSTM nodes). */
const kGlueOps = new Set(['Transpose', 'Squeeze', 'Unsqueeze', 'Reshape', 'Flatten', 'Slice', 'Concat', 'Split', 'Identity']);

const inputsOf = (s: Step) => s.node.input ?? [];
const outputsOf = (s: Step) => s.node.output ?? [];

function compatible(a: LstmNodeModel, b: LstmNodeModel, aNode: NodeProto, bNode: NodeProto): boolean {
  const fused = (n: LstmNodeModel) => n.attrs.direction !== 'reverse';
  const key = (n: LstmNodeModel) => JSON.stringify([n.attrs.direction, n.attrs.hiddenSize, n.attrs.layout, n.attrs.activations, n.attrs.clip, n.attrs.inputForget]);
  return fused(a) && fused(b) && key(a) === key(b) && (aNode.input?.[4] ?? '') === (bNode.input?.[4] ?? '') && b.model.config.inputSize === a.directions * a.attrs.hiddenSize;
}

/** Steps the join may hold besides glue: plain host ops (no LSTM, fused stack or If). */
const isHostStep = (s: Step) => !s.lstm && !s.stack && !s.branches;

/**
 * The join from LSTM step `from`'s Y to the next LSTM step, or null when Y goes anywhere else:
 * `glue`, the layout glue from Y to the next layer's X, and the state chains that read only the
 * shapes of those values (`derived`: torch 1.13 builds a layer's zero states as
 * Expand(0, [D, Shape(X)[1], H]) of that layer's X) and feed only the next layer's initial_h /
 * initial_c. `steps`: both, by index (a topological order).
 */
function joinAfter(steps: readonly Step[], from: number, consumers: Map<string, number[]>, graphOutputs: ReadonlySet<string>): { next: number; steps: number[]; chain: Set<string>; derived: Set<string> } | null {
  const y = outputsOf(steps[from])[0];
  if (!y) return null;
  const chain = new Set([y]);
  const glue = new Set<number>();
  const shapeReads = new Set<number>();
  let next = -1;
  const frontier = [y];
  while (frontier.length) {
    const v = frontier.pop()!;
    if (graphOutputs.has(v)) return null;
    for (const c of consumers.get(v) ?? []) {
      const step = steps[c];
      const op = step.node.opType ?? '';
      if (step.lstm) {
        if (inputsOf(step).indexOf(v) !== 0 || inputsOf(step).lastIndexOf(v) !== 0 || (next !== -1 && next !== c)) return null;
        next = c;
      } else if ((op === 'Shape' || op === 'Size') && isHostStep(step) && inputsOf(step)[0] === v) {
        shapeReads.add(c);
      } else if (kGlueOps.has(op) && isHostStep(step)) {
        if (glue.has(c)) continue;
        glue.add(c);
        for (const o of outputsOf(step)) if (o && !chain.has(o)) (chain.add(o), frontier.push(o));
      } else return null;
    }
  }
  if (next === -1) return null;
  // Data flows only through input 0 (all of a Concat's inputs); the other inputs are shapes and axes.
  for (const g of glue) {
    const ins = inputsOf(steps[g]);
    const ok = steps[g].node.opType === 'Concat' ? ins.every((i) => chain.has(i)) : chain.has(ins[0]) && ins.slice(1).every((i) => !chain.has(i));
    if (!ok) return null;
  }
  // The values computed from the chain's shapes: they may feed the glue's shape inputs, and the
  // next layer's initial_h / initial_c, nothing else (the probe then checks those are zeros).
  const derived = new Set<string>();
  const states = new Set<number>(shapeReads);
  const pending = [...shapeReads].flatMap((c) => outputsOf(steps[c]).filter((o) => o));
  pending.forEach((o) => derived.add(o));
  while (pending.length) {
    const v = pending.pop()!;
    if (graphOutputs.has(v)) return null;
    for (const c of consumers.get(v) ?? []) {
      const step = steps[c];
      if (glue.has(c)) continue;
      if (c === next) {
        if (inputsOf(step).some((i, j) => i === v && j !== 5 && j !== 6)) return null;
      } else if (isHostStep(step) && !step.lstm) {
        if (inputsOf(step).some((i) => chain.has(i) && !shapeReads.has(c))) return null;
        if (states.has(c)) continue;
        states.add(c);
        for (const o of outputsOf(step)) if (o && !derived.has(o)) (derived.add(o), pending.push(o));
      } else return null;
    }
  }
  return { next, steps: [...glue, ...states].sort((a, b) => a - b), chain, derived };
}

/**
 * The steps with every fusable LSTM chain replaced by one stack step, still in a topological order.
 * A chain whose fused step would make a cycle (a layer's state computed from a later layer) is left as it is.
 */
export function fuseStacks(steps: readonly Step[], given: ReadonlySet<string>, graphOutputs: ReadonlySet<string>): Step[] {
  let current = [...steps];
  for (let changed = true; changed; ) {
    changed = false;
    const consumers = new Map<string, number[]>();
    current.forEach((s, k) => readsOf(s).forEach((i) => i && consumers.set(i, [...(consumers.get(i) ?? []), k])));
    for (let first = 0; first < current.length && !changed; first++) {
      if (!current[first].lstm || current[first].stack) continue;
      const layers = [first];
      const joins: number[][] = [];
      const inside = new Set<string>();
      const derived = new Set<string>();
      for (;;) {
        const last = layers[layers.length - 1];
        const join = joinAfter(current, last, consumers, graphOutputs);
        if (!join || !compatible(current[last].lstm!, current[join.next].lstm!, current[last].node, current[join.next].node)) break;
        layers.push(join.next);
        joins.push(join.steps);
        join.chain.forEach((v) => inside.add(v));
        join.derived.forEach((v) => (inside.add(v), derived.add(v)));
      }
      if (layers.length < 2) continue;
      const fused = fusedStep(current, layers, joins, inside, derived);
      const members = new Set([...layers, ...joins.flat()]);
      const rest = [...current.filter((_, k) => !members.has(k)), fused];
      try {
        const order = topologicalOrder(rest.map((s) => ({ where: s.where, reads: readsOf(s), writes: outputsOf(s) })), given);
        current = order.map((k) => rest[k]);
        changed = true;
      } catch {
        // A cycle through the fused step: these layers run one by one.
      }
    }
  }
  return current;
}

/** Every name a step reads (a fused stack: the chain's inputs from outside it). */
export function readsOf(s: Step): string[] {
  return s.branches ? [...inputsOf(s), ...s.branches.outer] : inputsOf(s);
}

function fusedStep(steps: readonly Step[], layers: number[], joins: number[][], inside: Set<string>, derived: Set<string>): Step {
  const all = [...new Set([...layers, ...joins.flat()])].sort((a, b) => a - b).map((k) => steps[k]);
  const layerSteps = layers.map((k) => steps[k]);
  const reads = [...new Set(all.flatMap((s) => readsOf(s)).filter((i) => i && !inside.has(i) && !all.some((s) => outputsOf(s).includes(i))))];
  const top = layerSteps[layerSteps.length - 1];
  const writes = [outputsOf(top)[0] ?? '', ...layerSteps.flatMap((s) => [outputsOf(s)[1] ?? '', outputsOf(s)[2] ?? ''])];
  const names = layerSteps.map((s) => s.node.name || s.where).join(', ');
  const extras = joins.map((j, k) => {
    const within = new Set([outputsOf(layerSteps[k])[0], ...j.flatMap((g) => outputsOf(steps[g]))]);
    return [...new Set(j.flatMap((g) => inputsOf(steps[g]).filter((i) => i && !within.has(i))))];
  });
  return {
    node: { name: `LSTM stack (${names})`, opType: 'LSTM', input: reads, output: writes },
    where: `the fused LSTM stack (${layerSteps.map((s) => s.where).join(', ')})`,
    attributes: new Map(),
    lstm: null,
    stack: { model: stackModel(layerSteps.map((s) => s.lstm!)), layers: layerSteps, joins: joins.map((j) => j.map((k) => steps[k])), steps: all, derived, extras, checked: new Map() },
  };
}

/** Y's dims for an X of `xDims` ([T, B, I], layout 1 [B, T, I]). */
export function yDims(n: LstmNodeModel, xDims: readonly number[]): number[] {
  const D = n.directions;
  const H = n.attrs.hiddenSize;
  return n.attrs.layout === 1 ? [xDims[0], xDims[1], D, H] : [xDims[0], D, xDims[1], H];
}

/**
 * Whether the glue maps Y (by its element indices) to exactly the next layer's X: for layout 0,
 * X[t, b, d·H + k] = Y[t, d, b, k]; for layout 1, X[b, t, d·H + k] = Y[b, t, d, k] (the same
 * flat order).
 */
export function gluePasses(n: LstmNodeModel, y: readonly number[], x: HostTensor | undefined): boolean {
  if (!x) return false;
  const [D, H] = [n.directions, n.attrs.hiddenSize];
  const layout1 = n.attrs.layout === 1;
  const [A, Bx] = layout1 ? [y[0], y[1]] : [y[0], y[2]];
  if (x.dims.length !== 3 || x.dims[0] !== A || x.dims[1] !== Bx || x.dims[2] !== D * H) return false;
  let k = 0;
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < Bx; b++) {
      for (let d = 0; d < D; d++) {
        const base = layout1 ? ((a * Bx + b) * D + d) * H : ((a * D + d) * Bx + b) * H;
        for (let h = 0; h < H; h++) if (x.data[k++] !== base + h) return false;
      }
    }
  }
  return true;
}

/** Whether a state the join computed is all zeros of the node's [D, B, H] ([B, D, H] for layout 1), B that of X (`xDims`). */
export function zeroState(n: LstmNodeModel, xDims: readonly number[], t: HostTensor | undefined): boolean {
  if (!t) return false;
  const [D, H] = [n.directions, n.attrs.hiddenSize];
  const want = n.attrs.layout === 1 ? [xDims[0], D, H] : [D, xDims[1], H];
  return t.dims.length === 3 && t.dims.every((d, k) => d === want[k]) && t.data.every((v) => v === 0);
}

/** The cache key of a probe: Y's dims and the glue's other inputs (shapes, axes; uncached when large). */
export function probeKey(join: number, y: readonly number[], extras: readonly (HostTensor | undefined)[]): string | null {
  if (extras.some((e) => e && e.data.length > 64)) return null;
  return `${join}|${y.join(',')}|${extras.map((e) => (e ? `${e.dims.join(',')}:${Array.from(e.data).join(',')}` : '-')).join('|')}`;
}

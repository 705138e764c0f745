import type { HostTensor } from './host-tensor.js';
import type { Step } from './stack-fusion.js';

/** Shapes at which a session keeps the values it computed from shapes alone (a few: a session usually sees one or two). */
const kEntries = 4;

/**
 * Values that depend on the graph's inputs only through their dims, cached per those dims: the
 * Shape or Size of a graph input, and every node whose inputs are those, constants or other such
 * values (PyTorch's and tf2onnx's zero initial states: Shape → Gather → Unsqueeze → Concat →
 * ConstantOfShape or Expand → Slice per layer). They are computed by the first run at a shape and
 * reused by the later ones, which skip their nodes: the same values, since every host op is a
 * function of its inputs and none writes into them. A node whose output is a graph output still
 * runs every time (the caller owns what `run` returns).
 */
export class ShapeCache {
  /** The cached nodes (shape-only, none writing a graph output). */
  readonly skipped: ReadonlySet<Step>;
  private readonly inputs: readonly string[];
  private readonly names: readonly string[];
  private readonly entries = new Map<string, readonly HostTensor[]>();

  constructor(steps: readonly Step[], graphInputs: readonly string[], graphOutputs: ReadonlySet<string>) {
    const dynamic = new Set(graphInputs);
    // Names computed at run time; every other name a step reads is a constant.
    const produced = new Set([...graphInputs, ...steps.flatMap((s) => s.node.output ?? [])]);
    const shaped = new Set<string>();
    const read = new Set<string>();
    const skipped = new Set<Step>();
    for (const s of steps) {
      const ins = (s.node.input ?? []).filter((i) => i);
      const op = s.node.opType ?? '';
      const plain = !s.lstm && !s.stack && !s.branches;
      // Shape / Size of a graph input reads its dims only; any other input read must be shape-only too.
      const ofDims = plain && (op === 'Shape' || op === 'Size') && dynamic.has(ins[0] ?? '');
      const ofShaped = plain && ins.length > 0 && ins.every((i) => shaped.has(i) || !produced.has(i));
      if (!ofDims && !ofShaped) continue;
      if (ofDims) read.add(ins[0]);
      const outs = (s.node.output ?? []).filter((o) => o);
      outs.forEach((o) => shaped.add(o));
      if (!outs.some((o) => graphOutputs.has(o))) skipped.add(s);
    }
    this.skipped = skipped;
    this.inputs = [...read];
    this.names = [...skipped].flatMap((s) => (s.node.output ?? []).filter((o) => o));
  }

  /** The key of the inputs' dims (null: nothing to cache). */
  key(values: ReadonlyMap<string, HostTensor>): string | null {
    if (this.names.length === 0) return null;
    return this.inputs.map((n) => values.get(n)?.dims.join(',') ?? '-').join('|');
  }

  /** Puts the values cached at `key` into `values`; false where there are none. */
  restore(key: string, values: Map<string, HostTensor>): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.names.forEach((n, k) => values.set(n, entry[k]));
    return true;
  }

  /** Keeps the shape-only values of a run that computed them all. */
  store(key: string, values: ReadonlyMap<string, HostTensor>): void {
    const entry = this.names.map((n) => values.get(n));
    if (entry.some((t) => !t)) return;
    if (this.entries.size >= kEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, entry as HostTensor[]);
  }
}

import { invalidArgument } from '../../core/errors.js';

/** What ordering needs of a step: the names it reads and writes, and how errors name it. */
export interface Ordered {
  readonly where: string;
  readonly reads: readonly string[];
  readonly writes: readonly string[];
}

/** Kahn's order over the steps; a cycle or a value nothing defines is INVALID_ARGUMENT naming the step. */
export function topologicalOrder(steps: readonly Ordered[], given: ReadonlySet<string>): number[] {
  const producer = new Map<string, number>();
  steps.forEach((s, k) => s.writes.forEach((o) => o && producer.set(o, k)));
  const pending = steps.map((s) => {
    const deps = new Set<number>();
    for (const i of s.reads) {
      if (i === '' || given.has(i)) continue;
      const p = producer.get(i);
      if (p === undefined) throw invalidArgument(`onnx: ${s.where} reads ${JSON.stringify(i)}, which no initializer, graph input or node defines`);
      deps.add(p);
    }
    return deps;
  });
  const users = steps.map(() => [] as number[]);
  pending.forEach((deps, k) => deps.forEach((p) => users[p].push(k)));
  const ready = pending.flatMap((d, k) => (d.size === 0 ? [k] : []));
  const order: number[] = [];
  for (let q = 0; q < ready.length; q++) {
    const k = ready[q];
    order.push(k);
    for (const u of users[k]) {
      pending[u].delete(k);
      if (pending[u].size === 0) ready.push(u);
    }
  }
  if (order.length !== steps.length) {
    const done = new Set(order);
    throw invalidArgument(`onnx: the graph has a cycle through ${steps[steps.findIndex((_, k) => !done.has(k))].where}`);
  }
  return order;
}

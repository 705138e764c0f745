import { invalidArgument } from '../../core/errors.js';
import type { HostTensor } from './host-tensor.js';

/** What a host op sees of its node: where it is (for errors), its inputs, attributes, opset and budget. */
export interface OpContext {
  /** `node "name" (OpType)`, for every error. */
  readonly where: string;
  readonly inputs: readonly (HostTensor | null)[];
  readonly attributes: ReadonlyMap<string, unknown>;
  /** The default-domain opset the model imports. */
  readonly opset: number;
  readonly maxBytes: number;
}

export function input(ctx: OpContext, k: number): HostTensor {
  const t = ctx.inputs[k];
  if (!t) throw invalidArgument(`${ctx.where}: input ${k} is required`);
  return t;
}

export function intAttr(ctx: OpContext, name: string, fallback: number): number {
  const v = ctx.attributes.get(name);
  if (v === undefined) return fallback;
  if (typeof v !== 'number') throw invalidArgument(`${ctx.where}.${name}: expected a number, got ${JSON.stringify(v)}`);
  return v;
}

export function intsAttr(ctx: OpContext, name: string): number[] | undefined {
  const v = ctx.attributes.get(name);
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw invalidArgument(`${ctx.where}.${name}: expected a list of integers, got ${JSON.stringify(v)}`);
  return v as number[];
}

export type HostOp = (ctx: OpContext) => HostTensor[];

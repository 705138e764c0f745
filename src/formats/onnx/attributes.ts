import { describeValue } from '../../core/describe.js';
import { invalidArgument } from '../../core/errors.js';
import type { CellActivation, CellActivationKind, LstmActivations } from '../../model/variants.js';
import { kActivationDefaults } from '../../model/variants.js';
import { kAttributeType, toInteger, type AttributeProto, type NodeProto } from './proto.js';

/** An attribute's value as plain JS (the few types ONNX's shape and LSTM ops use). */
export type AttributeValue = number | string | number[] | string[] | AttributeProto['t'];

const kText = new TextDecoder('utf-8', { fatal: false });

/** A bytes field as text; protobufjs leaves an absent one as a plain [] where the type says otherwise, which TextDecoder refuses. */
const textOf = (s: ArrayLike<number> | undefined) => kText.decode(s instanceof Uint8Array ? s : Uint8Array.from(s ?? []));

/**
 * An int64 attribute as a number; past ±2^53 the nearest float64, as int64 tensors are read:
 * exporters write INT64_MAX (read as 2^63) for "to the end" (PyTorch's opset-9 Slice ends).
 */
function saturated(name: string, v: Parameters<typeof toInteger>[1]): number {
  const n = typeof v === 'number' ? v : (v?.toNumber() ?? 0);
  return Number.isInteger(n) ? n : toInteger(name, v);
}

export function attributeValue(where: string, attribute: AttributeProto): AttributeValue {
  const name = `${where}.${attribute.name}`;
  switch (attribute.type) {
    case kAttributeType.FLOAT:
      return attribute.f ?? 0;
    case kAttributeType.INT:
      return saturated(name, attribute.i ?? 0);
    case kAttributeType.STRING:
      return textOf(attribute.s);
    case kAttributeType.TENSOR:
      return attribute.t;
    case kAttributeType.FLOATS:
      return [...(attribute.floats ?? [])];
    case kAttributeType.INTS:
      return (attribute.ints ?? []).map((v, k) => saturated(`${name}[${k}]`, v));
    case kAttributeType.STRINGS:
      return (attribute.strings ?? []).map(textOf);
    default:
      throw invalidArgument(`${name}: attribute type ${describeValue(attribute.type)} is not supported here`);
  }
}

/** A node's attributes by name; any name outside `known` is refused, naming the node and its type. */
export function nodeAttributes(where: string, node: NodeProto, known: readonly string[]): Map<string, AttributeValue> {
  const out = new Map<string, AttributeValue>();
  for (const attribute of node.attribute ?? []) {
    const name = attribute.name ?? '';
    if (!known.includes(name)) throw invalidArgument(`${where}: attribute ${JSON.stringify(name)} is not supported; ${node.opType} here takes ${known.join(', ') || 'none'}`);
    out.set(name, attributeValue(where, attribute));
  }
  return out;
}

/** ONNX's activation names (the operator spec's spelling; onnxruntime compares them case-insensitively). */
const kOnnxNames: Record<CellActivationKind, string> = {
  sigmoid: 'Sigmoid',
  hard_sigmoid: 'HardSigmoid',
  tanh: 'Tanh',
  relu: 'Relu',
  affine: 'Affine',
  softsign: 'Softsign',
  softplus: 'Softplus',
  elu: 'Elu',
  leaky_relu: 'LeakyRelu',
  thresholded_relu: 'ThresholdedRelu',
  scaled_tanh: 'ScaledTanh',
};
const kByLowerName = new Map(Object.entries(kOnnxNames).map(([kind, name]) => [name.toLowerCase(), kind as CellActivationKind]));

/**
 * The LSTM node's activations: `activations` lists f, g, h per direction (default Sigmoid, Tanh,
 * Tanh); `activation_alpha` and `activation_beta` are consumed in that order by the activations
 * that take an α (β), each falling back to its ONNX operator's default when the list runs out.
 * Two directions must use the same three (the model has one set).
 */
export function readActivations(where: string, names: string[] | undefined, alphas: number[] | undefined, betas: number[] | undefined, directions: number): LstmActivations | undefined {
  if (names === undefined) {
    if ((alphas?.length ?? 0) > 0 || (betas?.length ?? 0) > 0) throw invalidArgument(`${where}: activation_alpha/activation_beta without activations`);
    return undefined;
  }
  if (names.length !== 3 * directions) throw invalidArgument(`${where}.activations: expected ${3 * directions} names (f, g, h per direction), got ${describeValue(names)}`);
  let a = 0;
  let b = 0;
  const resolved: CellActivation[] = names.map((name, k) => {
    const kind = kByLowerName.get(name.toLowerCase());
    if (!kind) throw invalidArgument(`${where}.activations[${k}]: ${JSON.stringify(name)} is not one of ${Object.values(kOnnxNames).join(', ')}`);
    const defaults = kActivationDefaults[kind];
    // Attribute floats are float32, and onnxruntime holds the defaults as float32 too (0.2f, ...).
    const alpha = defaults.alpha === undefined ? undefined : (alphas?.[a++] ?? Math.fround(defaults.alpha));
    const beta = defaults.beta === undefined ? undefined : (betas?.[b++] ?? Math.fround(defaults.beta));
    return { kind, ...(alpha === undefined ? {} : { alpha }), ...(beta === undefined ? {} : { beta }) };
  });
  if (a < (alphas?.length ?? 0) || b < (betas?.length ?? 0)) {
    throw invalidArgument(`${where}: ${alphas?.length ?? 0} activation_alpha and ${betas?.length ?? 0} activation_beta values for activations ${names.join(', ')}, which take ${a} and ${b}`);
  }
  const same = (x: CellActivation, y: CellActivation) => x.kind === y.kind && x.alpha === y.alpha && x.beta === y.beta;
  if (directions === 2 && !resolved.slice(0, 3).every((act, k) => same(act, resolved[3 + k]))) {
    throw invalidArgument(`${where}.activations: the two directions use different activations (${names.join(', ')}); a model has one set`);
  }
  return { gate: resolved[0], candidate: resolved[1], cellOutput: resolved[2] };
}

/** The activations, activation_alpha and activation_beta attributes for `directions` directions. */
export function writeActivations(activations: LstmActivations, directions: number): { names: string[]; alphas: number[]; betas: number[] } {
  const one = [activations.gate, activations.candidate, activations.cellOutput];
  const all = directions === 2 ? [...one, ...one] : one;
  return {
    names: all.map((act) => kOnnxNames[act.kind]),
    alphas: all.flatMap((act) => (act.alpha === undefined ? [] : [act.alpha])),
    betas: all.flatMap((act) => (act.beta === undefined ? [] : [act.beta])),
  };
}

import { formatShape, describeValue } from '../core/describe.js';
import type { Tensor } from '../core/tensor.js';
import { invalidParameter } from '../core/errors.js';
import { LSTM } from '../model/lstm.js';

type Matrix = readonly (readonly number[])[];
type Vector = readonly number[] | Matrix; // [H] or a column [H, 1] as NumPy code writes it

/**
 * The seeds' per-gate form (seed 001): one matrix per gate over the concatenation [h_{t−1}, x_t]
 * (hidden part first), W_* of shape [H, H + I], and optional biases b_* of shape [H] or [H, 1].
 * W_c is the candidate ("c̃", PyTorch's g gate).
 */
export interface GateMatrices {
  readonly W_f: Matrix;
  readonly W_i: Matrix;
  readonly W_c: Matrix;
  readonly W_o: Matrix;
  readonly b_f?: Vector;
  readonly b_i?: Vector;
  readonly b_c?: Vector;
  readonly b_o?: Vector;
}

/** Seed 004's scalar model: per gate [weight of x_t, weight of h_{t−1}, bias]. */
export interface ScalarGates {
  readonly forget: readonly [number, number, number];
  readonly input: readonly [number, number, number];
  readonly cell: readonly [number, number, number];
  readonly output: readonly [number, number, number];
}

/** PyTorch's gate order i, f, g, o, and where each comes from in the seeds' names. */
const kGateOrder = [
  ['W_i', 'b_i'],
  ['W_f', 'b_f'],
  ['W_c', 'b_c'],
  ['W_o', 'b_o'],
] as const;

function matrixRows(name: string, value: unknown, rows: number, cols: number): number[][] {
  const ok =
    Array.isArray(value) &&
    value.length === rows &&
    value.every((r) => Array.isArray(r) && r.length === cols && r.every((v) => typeof v === 'number'));
  if (!ok) {
    const given = Array.isArray(value) ? formatShape([value.length, Array.isArray(value[0]) ? value[0].length : 0]) : describeValue(value);
    throw invalidParameter(`${name}: expected a [H, H + I] = ${formatShape([rows, cols])} matrix of numbers, got ${given}`);
  }
  return value as number[][];
}

function biasValues(name: string, value: unknown, H: number): number[] {
  if (value === undefined) return new Array<number>(H).fill(0);
  const flat = Array.isArray(value) ? value.map((v) => (Array.isArray(v) && v.length === 1 ? v[0] : v)) : null;
  if (!flat || flat.length !== H || !flat.every((v) => typeof v === 'number')) {
    throw invalidParameter(`${name}: expected ${H} numbers (shape [${H}] or [${H}, 1]), got ${describeValue(value)}`);
  }
  return flat as number[];
}

/** Builds a one-layer LSTM from the seeds' per-gate matrices over [h_{t−1}, x_t]. */
export function modelFromGates(gates: GateMatrices, inputSize: number): LSTM {
  const H = Array.isArray(gates?.W_f) ? gates.W_f.length : 0;
  if (H < 1) throw invalidParameter(`W_f: expected a non-empty [H, H + I] matrix, got ${describeValue(gates?.W_f)}`);
  const I = inputSize;
  const weightIh = new Float64Array(4 * H * I);
  const weightHh = new Float64Array(4 * H * H);
  const biasIh = new Float64Array(4 * H);
  kGateOrder.forEach(([wName, bName], gate) => {
    const rows = matrixRows(wName, gates[wName], H, H + I);
    const bias = biasValues(bName, gates[bName], H);
    for (let unit = 0; unit < H; unit++) {
      const row = gate * H + unit;
      for (let k = 0; k < H; k++) weightHh[row * H + k] = rows[unit][k];
      for (let k = 0; k < I; k++) weightIh[row * I + k] = rows[unit][H + k];
      biasIh[row] = bias[unit];
    }
  });
  const params = new Map<string, Tensor<Float64Array>>([
    ['weight_ih_l0', { shape: [4 * H, I], data: weightIh }],
    ['weight_hh_l0', { shape: [4 * H, H], data: weightHh }],
    ['bias_ih_l0', { shape: [4 * H], data: biasIh }],
    ['bias_hh_l0', { shape: [4 * H], data: new Float64Array(4 * H) }],
  ]);
  return new LSTM({ inputSize: I, hiddenSize: H }, params);
}

/** Builds the scalar (I = H = 1) model of seed 004 from its per-gate [w_x, w_h, b] triples. */
export function modelFromScalarGates(gates: ScalarGates): LSTM {
  const order = ['input', 'forget', 'cell', 'output'] as const;
  const triples = order.map((gate) => {
    const triple = gates?.[gate];
    if (!Array.isArray(triple) || triple.length !== 3 || !triple.every((v) => typeof v === 'number')) {
      throw invalidParameter(`${gate}: expected [weight of x, weight of h, bias] (3 numbers), got ${describeValue(triple)}`);
    }
    return triple;
  });
  const column = (k: number) => Float64Array.from(triples, (t) => t[k]);
  const params = new Map<string, Tensor<Float64Array>>([
    ['weight_ih_l0', { shape: [4, 1], data: column(0) }],
    ['weight_hh_l0', { shape: [4, 1], data: column(1) }],
    ['bias_ih_l0', { shape: [4], data: column(2) }],
    ['bias_hh_l0', { shape: [4], data: new Float64Array(4) }],
  ]);
  return new LSTM({ inputSize: 1, hiddenSize: 1 }, params);
}

import { describe, expect, it } from 'vitest';
import { cell } from '../../src/cpu/single-step.js';
import { modelFromGates } from '../../src/formats/gates.js';
import { SeededRandom } from '../../src/model/random.js';

// Seed 001's LSTMCell.forward, transcribed with its own formulation: one matrix per gate over the
// concatenation [h_{t−1}, x_t], then the gate equations. The library computes the same step from
// PyTorch-layout weight_ih / weight_hh blocks, so agreement checks the import mapping too.
function seed001Forward(W: Record<'W_f' | 'W_i' | 'W_c' | 'W_o', number[][]>, b: Record<'b_f' | 'b_i' | 'b_c' | 'b_o', number[]>, x: number[], hPrev: number[], cPrev: number[]) {
  const concat = [...hPrev, ...x];
  const dot = (M: number[][], bias: number[]) => M.map((row, r) => row.reduce((s, w, k) => s + w * concat[k], bias[r]));
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const f = dot(W.W_f, b.b_f).map(sigmoid);
  const i = dot(W.W_i, b.b_i).map(sigmoid);
  const cTilde = dot(W.W_c, b.b_c).map(Math.tanh);
  const c = f.map((fj, j) => fj * cPrev[j] + i[j] * cTilde[j]);
  const o = dot(W.W_o, b.b_o).map(sigmoid);
  const h = o.map((oj, j) => oj * Math.tanh(c[j]));
  return { f, i, cTilde, c, o, h };
}

describe('seed 001: the per-gate LSTMCell over [h_{t−1}, x_t]', () => {
  const H = 3;
  const I = 2;
  const rng = new SeededRandom(1);
  const matrix = () => Array.from({ length: H }, () => Array.from({ length: H + I }, () => rng.normal()));
  const vector = () => Array.from({ length: H }, () => rng.normal());
  const W = { W_f: matrix(), W_i: matrix(), W_c: matrix(), W_o: matrix() };
  const b = { b_f: vector(), b_i: vector(), b_c: vector(), b_o: vector() };
  // Seed 001 stores biases as [H, 1] columns; the importer takes that form.
  const model = modelFromGates({ ...W, b_f: b.b_f.map((v) => [v]), b_i: b.b_i.map((v) => [v]), b_c: b.b_c.map((v) => [v]), b_o: b.b_o.map((v) => [v]) }, I);

  it('cell(x, h, c) gives the gates and state of LSTMCell.forward', () => {
    const x = [0.5, -1.25];
    const h = [0.1, -0.2, 0.3];
    const c = [1.0, -0.5, 0.25];
    const expected = seed001Forward(W, b, x, h, c);
    const step = cell(model, x, h, c);
    const close = (actual: ArrayLike<number>, want: number[]) => want.forEach((v, j) => expect(actual[j]).toBeCloseTo(v, 12));
    close(step.f, expected.f);
    close(step.i, expected.i);
    close(step.g, expected.cTilde);
    close(step.o, expected.o);
    close(step.c, expected.c);
    close(step.h, expected.h);
  });

  it('rejects a gate matrix of the wrong width, naming it and both shapes', () => {
    const narrow = { ...W, W_o: W.W_o.map((row) => row.slice(1)) };
    expect(() => modelFromGates(narrow, I)).toThrow('W_o: expected a [H, H + I] = [3, 5] matrix of numbers, got [3, 4]');
  });

  it('rejects x, h or c of the wrong length', () => {
    expect(() => cell(model, [1], [0, 0, 0], [0, 0, 0])).toThrow('x: expected 2 values, got 1');
    expect(() => cell(model, [1, 2], [0, 0], [0, 0, 0])).toThrow('h: expected 3 values, got 2');
  });
});

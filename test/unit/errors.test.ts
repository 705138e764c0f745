import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { LstmError } from '../../src/core/errors.js';
import { referenceResult } from '../../src/api/runner.js';
import { prepareInput } from '../../src/api/forward-input.js';
import { CpuRunner } from '../../src/cpu/runner.js';
import { modelFromJSON, modelToJSON } from '../../src/formats/model-json.js';
import { LSTM } from '../../src/model/lstm.js';

// The error table of docs/errors.md, case by case: every error is an LstmError with its code, the
// message names the argument, what was expected and what was given, and the same runner or model
// still answers a valid call correctly afterwards. test/gpu/errors.test.ts runs the forward cases
// on the GPU runner too.

const model = LSTM.random({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 3 });
const T = 5;
const B = 2;
const x = Float64Array.from({ length: T * B * 3 }, (_, i) => Math.sin(i));
const state = () => new Float64Array(4 * B * 4);
const good = referenceResult(model, x, { steps: T, batch: B });
const run = (options: object, input: unknown = x) => () => referenceResult(model, input as ArrayLike<number>, { steps: T, batch: B, ...options });
const withValue = (at: number, value: unknown) => Array.from(x, (v, i) => (i === at ? value : v));

const json = modelToJSON(model);
const withParam = (name: string, value: unknown) => ({ ...json, params: { ...json.params, [name]: value } });
const params = (change: (p: Map<string, { shape: readonly number[]; data: ArrayLike<number> }>) => void) => () => {
  const p = model.tensors() as Map<string, { shape: readonly number[]; data: ArrayLike<number> }>;
  change(p);
  return new LSTM(model.config, p);
};

type Case = [name: string, call: () => unknown, code: string, message: string];

export const kForwardCases: Case[] = [
  ['x of the wrong length', run({}, x.subarray(1)), 'INVALID_SHAPE', 'x: expected 30 values for shape [5, 2, 3], got 29 values'],
  ['x not an array', run({}, null), 'INVALID_SHAPE', 'x: expected 30 numbers for shape [5, 2, 3], got null'],
  ['x holding a non-number', run({}, withValue(4, null)), 'INVALID_ARGUMENT', 'x at t=0, b=1, i=1 (flat index 4) is null; expected a number'],
  ['T of zero', run({ steps: 0 }), 'INVALID_ARGUMENT', 'options.steps: expected an integer in [1, 268435456], got 0'],
  ['T negative', run({ steps: -5 }), 'INVALID_ARGUMENT', 'options.steps: expected an integer in [1, 268435456], got -5'],
  ['B fractional', run({ batch: 1.5 }), 'INVALID_ARGUMENT', 'options.batch: expected an integer in [1, 268435456], got 1.5'],
  ['T absurdly large', run({ steps: 2 ** 40 }), 'INVALID_ARGUMENT', 'options.steps: expected an integer in [1, 268435456], got 1099511627776'],
  ['T × B absurdly large', run({ steps: 2 ** 20, batch: 2 ** 9 }), 'INVALID_ARGUMENT', 'options.steps × options.batch: expected at most 268435456, got 1048576 × 512'],
  ['options not an object', () => referenceResult(model, x, null as never), 'INVALID_ARGUMENT', 'options: expected { steps, batch, ... }, got null'],
  ['h0 of the wrong shape', run({ h0: new Float64Array(8) }), 'INVALID_SHAPE', 'h0: expected 32 values for shape [4, 2, 4], got 8 values'],
  ['c0 of the wrong shape', run({ c0: new Float64Array(33) }), 'INVALID_SHAPE', 'c0: expected 32 values for shape [4, 2, 4], got 33 values'],
  ['lengths of the wrong count', run({ lengths: [5] }), 'INVALID_SHAPE', 'lengths: expected 2 integers (one per sequence), got [5]'],
  ['lengths not a list', run({ lengths: 5 }), 'INVALID_SHAPE', 'lengths: expected 2 integers (one per sequence), got 5'],
  ['a length above T', run({ lengths: [5, 6] }), 'INVALID_ARGUMENT', 'lengths[1]: expected an integer in [1, 5], got 6'],
  ['a length of zero', run({ lengths: [0, 5] }), 'INVALID_ARGUMENT', 'lengths[0]: expected an integer in [1, 5], got 0'],
  ['a negative length', run({ lengths: [5, -1] }), 'INVALID_ARGUMENT', 'lengths[1]: expected an integer in [1, 5], got -1'],
  ['a fractional length', run({ lengths: [2.5, 5] }), 'INVALID_ARGUMENT', 'lengths[0]: expected an integer in [1, 5], got 2.5'],
  ['a NaN length', run({ lengths: [5, NaN] }), 'INVALID_ARGUMENT', 'lengths[1]: expected an integer in [1, 5], got NaN'],
  ['NaN in x', run({}, withValue(7, NaN)), 'NON_FINITE', "x at t=1, b=0, i=1 (flat index 7) is NaN; values must be finite (nonFinite: 'propagate' passes them through)"],
  ['Infinity in h0', run({ h0: state().fill(Infinity, 9, 10) }), 'NON_FINITE', 'h0 at layer·direction=1, b=0, unit=1 (flat index 9) is Infinity'],
  ['a value beyond float32 in c0', run({ c0: state().fill(-1e39, 31) }), 'NON_FINITE', "c0 at layer·direction=3, b=1, unit=3 (flat index 31) is -1e+39, beyond float32's range"],
  ['an unknown nonFinite policy', run({ nonFinite: 'ignore' }), 'INVALID_ARGUMENT', `options.nonFinite: expected 'reject' or 'propagate', got "ignore"`],
  // Values of the wrong JSON type are quoted as what they are: the string "3" never reads as 3.
  ['x holding a string', run({}, withValue(4, '1')), 'INVALID_ARGUMENT', 'x at t=0, b=1, i=1 (flat index 4) is "1"; expected a number'],
  ['T given as a string', run({ steps: '5' }), 'INVALID_ARGUMENT', 'options.steps: expected an integer in [1, 268435456], got "5"'],
  ['a length given as a string', run({ lengths: ['3', 5] }), 'INVALID_ARGUMENT', 'lengths[0]: expected an integer in [1, 5], got "3"'],
  ['a length given as null', run({ lengths: [5, null] }), 'INVALID_ARGUMENT', 'lengths[1]: expected an integer in [1, 5], got null'],
  ['lengths given as an object', run({ lengths: { 0: 5, 1: 5 } }), 'INVALID_SHAPE', 'lengths: expected 2 integers (one per sequence), got an object with keys "0", "1"'],
  ['a nonFinite policy of the wrong type', run({ nonFinite: true }), 'INVALID_ARGUMENT', `options.nonFinite: expected 'reject' or 'propagate', got true`],
];

export const kModelCases: Case[] = [
  ['H of zero', () => LSTM.random({ inputSize: 3, hiddenSize: 0 }), 'INVALID_ARGUMENT', 'config.hiddenSize: expected an integer in [1, 65536], got 0'],
  ['I absurdly large', () => LSTM.random({ inputSize: 2 ** 31, hiddenSize: 4 }), 'INVALID_ARGUMENT', 'config.inputSize: expected an integer in [1, 65536], got 2147483648'],
  ['I fractional', () => LSTM.random({ inputSize: 2.5, hiddenSize: 4 }), 'INVALID_ARGUMENT', 'config.inputSize: expected an integer in [1, 65536], got 2.5'],
  ['H negative', () => LSTM.random({ inputSize: 3, hiddenSize: -4 }), 'INVALID_ARGUMENT', 'config.hiddenSize: expected an integer in [1, 65536], got -4'],
  ['a parameter of the wrong shape', () => modelFromJSON(withParam('weight_hh_l1', { shape: [16, 3], data: new Array(48).fill(0) })), 'INVALID_PARAMETER', 'weight_hh_l1: expected shape [16, 4], got [16, 3]'],
  ['a transposed parameter', () => modelFromJSON(withParam('weight_ih_l0', { shape: [3, 16], data: new Array(48).fill(0) })), 'INVALID_PARAMETER', 'weight_ih_l0: expected shape [16, 3], got [3, 16]'],
  ['a parameter with the wrong count', () => modelFromJSON(withParam('bias_ih_l0', { shape: [16], data: [1, 2] })), 'INVALID_PARAMETER', 'bias_ih_l0: shape [16] needs 16 values, data has 2'],
  ['a missing parameter', params((p) => p.delete('bias_hh_l1_reverse')), 'INVALID_PARAMETER', 'bias_hh_l1_reverse: missing; expected shape [16]'],
  ['an unknown parameter', () => modelFromJSON(withParam('weight_xx_l0', { shape: [1], data: [0] })), 'INVALID_PARAMETER', 'params: unknown parameter "weight_xx_l0"; this config expects weight_ih_l0'],
  ['a non-numeric parameter value', () => modelFromJSON(withParam('bias_ih_l0', { shape: [16], data: [...new Array(15).fill(0), 'x'] })), 'INVALID_PARAMETER', 'bias_ih_l0.data[15]: expected a number, got "x"'],
  ['null in a parameter given directly', params((p) => p.set('bias_ih_l0', { shape: [16], data: [null as never, ...new Array(15).fill(0)] })), 'INVALID_PARAMETER', 'bias_ih_l0: value at flat index 0 is null; expected a number'],
  ['NaN in a weight', params((p) => (p.get('weight_hh_l0')!.data as Float64Array).fill(NaN, 6, 7)), 'NON_FINITE', "weight_hh_l0 at row=1, column=2 (flat index 6) is NaN; values must be finite (the model option nonFinite: 'propagate' passes them through)"],
  ['a model budget too small', () => modelFromJSON(json, { maxBytes: 1000 }), 'LIMIT_EXCEEDED', 'model: the parameters this config declares take 5888 bytes (736 values as float64), more than maxBytes = 1000'],
  ['a bad budget', () => modelFromJSON(json, { maxBytes: -1 }), 'INVALID_ARGUMENT', 'maxBytes: expected a non-negative integer number of bytes, got -1'],
  ['I given as a string', () => LSTM.random({ inputSize: '3' as never, hiddenSize: 4 }), 'INVALID_ARGUMENT', 'config.inputSize: expected an integer in [1, 65536], got "3"'],
  ['a flag given as a string', () => LSTM.random({ inputSize: 3, hiddenSize: 4, bidirectional: 'true' as never }), 'INVALID_ARGUMENT', 'config.bidirectional: expected true or false, got "true"'],
  ['a string in a parameter given directly', params((p) => p.set('bias_ih_l0', { shape: [16], data: ['1' as never, ...new Array(15).fill(0)] })), 'INVALID_PARAMETER', 'bias_ih_l0: value at flat index 0 is "1"; expected a number'],
  ['a budget given as a string', () => modelFromJSON(json, { maxBytes: '1000' as never }), 'INVALID_ARGUMENT', 'maxBytes: expected a non-negative integer number of bytes, got "1000"'],
  ['a config given as a list', () => modelFromJSON({ ...json, config: [3, 4] }), 'INVALID_ARGUMENT', 'config: expected an object, got [3, 4]'],
];

function expectLstmError(call: () => unknown, code: string, message: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'an LstmError').toBeInstanceOf(LstmError);
  expect((thrown as LstmError).message).toContain(message);
  expect((thrown as LstmError).code).toBe(code);
}

describe('errors of a forward call, and the runner afterwards', () => {
  it.each(kForwardCases)('%s', (_name, call, code, message) => {
    expectLstmError(call, code, message);
    expect(referenceResult(model, x, { steps: T, batch: B }).output.data).toEqual(good.output.data);
  });

  it("'propagate' lets NaN through: it reaches its own sequence only", () => {
    const result = referenceResult(model, withValue(7, NaN) as number[], { steps: T, batch: B, nonFinite: 'propagate' });
    const H2 = 8;
    for (let t = 0; t < T; t++) {
      expect(result.output.data.subarray((t * B + 1) * H2, (t * B + 2) * H2), `sequence 1 at t=${t}`).toEqual(good.output.data.subarray((t * B + 1) * H2, (t * B + 2) * H2));
      // Layer 0 spreads it forward from t = 1 and backward to t = 0, so layer 1 sees it at every t.
      expect(result.output.data.subarray((t * B) * H2, (t * B + 1) * H2).every(Number.isNaN), `sequence 0 at t=${t}`).toBe(true);
    }
  });

  it('a disposed runner refuses to run, and dispose is safe twice', () => {
    const other = new CpuRunner(model);
    other.dispose();
    other.dispose();
    expectLstmError(() => other.runSync(prepareInput(model.config, x, { steps: T, batch: B })), 'DISPOSED', 'forward: this runner was disposed; load the model again');
  });
});

describe('errors of a model, and the model afterwards', () => {
  it.each(kModelCases)('%s', (_name, call, code, message) => {
    expectLstmError(call, code, message);
    expect(referenceResult(model, x, { steps: T, batch: B }).output.data).toEqual(good.output.data);
  });

  it("'propagate' keeps a NaN weight, which reaches every sequence", () => {
    const p = model.tensors();
    p.get('weight_hh_l1_reverse')!.data[0] = NaN;
    const result = referenceResult(new LSTM(model.config, p, { nonFinite: 'propagate' }), x, { steps: T, batch: B });
    expect(result.hN.data.some(Number.isNaN)).toBe(true);
    expect(result.output.data.slice(0, 4)).toEqual(good.output.data.slice(0, 4));
  });

  it("the parameters a model hands out are copies: changing them changes nothing", () => {
    model.tensors().get('weight_ih_l0')!.data.fill(NaN);
    expect(referenceResult(model, x, { steps: T, batch: B }).output.data).toEqual(good.output.data);
  });
});

describe('errors of backend options', () => {
  const cases: Case[] = [
    ['an unknown backend preference', () => createBackend({ prefer: 'gpu' as never }), 'INVALID_ARGUMENT', "prefer: expected 'webgpu', 'wasm', 'cpu' or 'auto', got \"gpu\""],
    ['an unknown limit', () => createBackend({ limits: { maxTextureSize: 1 } as never }), 'INVALID_ARGUMENT', 'limits.maxTextureSize: unknown limit; expected some of maxStorageBufferBindingSize, maxBufferSize, maxComputeWorkgroupsPerDimension'],
    ['a limit that is not a positive integer', () => createBackend({ limits: { maxBufferSize: 0 } }), 'INVALID_ARGUMENT', 'limits.maxBufferSize: expected a positive integer, got 0'],
  ];
  it.each(cases)('%s is refused, even with prefer: auto', async (_name, call, code, message) => {
    const error = await (call() as Promise<unknown>).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(LstmError);
    expect((error as LstmError).code).toBe(code);
    expect((error as LstmError).message).toContain(message);
  });
});

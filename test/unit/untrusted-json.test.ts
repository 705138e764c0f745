import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LstmError } from '../../src/core/errors.js';
import { inputFromJSON } from '../../src/formats/input-json.js';
import { modelFromJSON } from '../../src/formats/model-json.js';

// Model and input files are untrusted: they are parsed with JSON.parse and nothing else, every key
// must be known, "__proto__" and "constructor" keys are refused rather than followed, and declared
// shapes are checked against the config, the data and the caller's budget before data is read.

/** A model file written here (I = 2, H = 3, PyTorch's layout), not by the library's writer. */
const values = (count: number, first: number) => Array.from({ length: count }, (_, k) => (first + k) / 100);
const modelText = JSON.stringify({
  config: { input_size: 2, hidden_size: 3, num_layers: 1, bidirectional: false, batch_first: false, bias: true },
  params: {
    weight_ih_l0: { shape: [12, 2], data: values(24, 0) },
    weight_hh_l0: { shape: [12, 3], data: values(36, 24) },
    bias_ih_l0: { shape: [12], data: values(12, 60) },
    bias_hh_l0: { shape: [12], data: values(12, 72) },
  },
});
const model = modelFromJSON(JSON.parse(modelText));
const inputText = JSON.stringify({ x: { shape: [2, 1, 2], data: [1, 2, 3, 4] } });

/** The text with `key: value` spliced in after the first `{` of `at` (a JSON-literal key, as an attacker writes it). */
function splice(text: string, at: string, key: string, value: string): string {
  const index = text.indexOf(at) + at.length;
  return `${text.slice(0, index)}"${key}": ${value}, ${text.slice(index)}`;
}

function codeAndMessage(call: () => unknown): [string, string] {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(LstmError);
    return [(error as LstmError).code, (error as LstmError).message];
  }
  throw new Error('expected an LstmError');
}

const kPollution = '{"polluted": true, "shape": [1], "data": [1]}';

describe('__proto__ and constructor keys pollute nothing', () => {
  const cases: [string, () => unknown, string][] = [
    ['top level of a model file', () => modelFromJSON(JSON.parse(splice(modelText, '{', '__proto__', kPollution))), 'model: unknown top-level key "__proto__"'],
    ['config', () => modelFromJSON(JSON.parse(splice(modelText, '"config":{', '__proto__', kPollution))), 'config.__proto__: unknown key'],
    ['params', () => modelFromJSON(JSON.parse(splice(modelText, '"params":{', '__proto__', kPollution))), 'params: unknown parameter "__proto__"'],
    ['params, as constructor', () => modelFromJSON(JSON.parse(splice(modelText, '"params":{', 'constructor', kPollution))), 'params: unknown parameter "constructor"'],
    ['a tensor', () => modelFromJSON(JSON.parse(splice(modelText, '"weight_ih_l0":{', '__proto__', kPollution))), 'weight_ih_l0: unknown key "__proto__"'],
    ['top level of an input file', () => inputFromJSON(JSON.parse(splice(inputText, '{', 'constructor', kPollution)), model.config), 'input: unknown top-level key "constructor"'],
    ['the x tensor', () => inputFromJSON(JSON.parse(splice(inputText, '"x":{', '__proto__', kPollution)), model.config), 'x: unknown key "__proto__"'],
  ];
  it.each(cases)('in %s: refused, named, and Object.prototype untouched', (_where, call, message) => {
    const [, text] = codeAndMessage(call);
    expect(text).toContain(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.prototype).not.toHaveProperty('shape');
  });

  it('a tensor whose shape and data would only come from its prototype is not read through it', () => {
    const inherited = `{"__proto__": {"shape": [12, 2], "data": [${new Array(24).fill(0)}]}}`;
    const text = modelText.replace(/"weight_ih_l0":\{[^}]*\}/, `"weight_ih_l0":${inherited}`);
    expect(codeAndMessage(() => modelFromJSON(JSON.parse(text)))[1]).toContain('weight_ih_l0: unknown key "__proto__"');
  });
});

describe('declared shapes are checked before any data is read or allocated', () => {
  it('a parameter declared larger than the config says is refused by its shape, whatever its data', () => {
    const json = JSON.parse(modelText);
    json.params.weight_hh_l0 = { shape: [1e9, 1e9], data: [] };
    expect(codeAndMessage(() => modelFromJSON(json))).toEqual(['INVALID_PARAMETER', 'weight_hh_l0: expected shape [12, 3], got [1000000000, 1000000000]']);
  });

  it('an input declared enormous with no data is refused by its data length, not by an allocation', () => {
    const json = { x: { shape: [1e4, 1e4, 2], data: [] } };
    expect(codeAndMessage(() => inputFromJSON(json, model.config))).toEqual(['INVALID_SHAPE', 'x: shape [10000, 10000, 2] needs 200000000 values, data has 0']);
  });

  it('an input declaring more steps of sequences than a call may take is refused by its shape', () => {
    const json = { x: { shape: [1e6, 1e6, 2], data: [] } };
    expect(codeAndMessage(() => inputFromJSON(json, model.config))).toEqual([
      'INVALID_ARGUMENT',
      'x: shape [1000000, 1000000, 2] holds T × B = 1000000000000 steps of sequences, more than the 268435456 a call may take',
    ]);
  });

  it('a model whose config declares more than the budget is refused before its parameters are looked at', () => {
    const json = { config: { input_size: 4096, hidden_size: 4096, num_layers: 4 }, params: {} };
    const [code, message] = codeAndMessage(() => modelFromJSON(json, { maxBytes: 2 ** 30 }));
    expect(code).toBe('LIMIT_EXCEEDED');
    expect(message).toBe('model: the parameters this config declares take 4296015872 bytes (537001984 values as float64), more than maxBytes = 1073741824');
  });

  it('an input whose declared x and results exceed the budget is refused before x is read', () => {
    const json = { x: { shape: [1e5, 64, 2], data: [] } };
    const [code, message] = codeAndMessage(() => inputFromJSON(json, model.config, { maxBytes: 1e6 }));
    expect(code).toBe('LIMIT_EXCEEDED');
    expect(message).toBe('input: x [100000, 64, 2] and the output, h_n and c_n it implies take 256003072 bytes (32000384 values as float64), more than maxBytes = 1000000');
  });

  it('h0 declared with the wrong shape is refused by its shape', () => {
    const json = { ...JSON.parse(inputText), h0: { shape: [1, 3, 1], data: [0, 0, 0] } };
    expect(codeAndMessage(() => inputFromJSON(json, model.config))).toEqual(['INVALID_SHAPE', 'h0: expected shape [L·D, B, H] = [1, 1, 3], got [1, 3, 1]']);
  });

  it('within budget, the same files load', () => {
    expect(modelFromJSON(JSON.parse(modelText), { maxBytes: 1e6 }).config.hiddenSize).toBe(3);
    expect(inputFromJSON(JSON.parse(inputText), model.config, { maxBytes: 1e6 }).options).toEqual({ steps: 2, batch: 1 });
  });
});

describe('nothing in a file is evaluated as code', () => {
  it('code in a data field is a non-number, and is refused as such', () => {
    let ran = false;
    (globalThis as Record<string, unknown>).lstmTestHook = () => (ran = true);
    const json = JSON.parse(modelText);
    json.params.bias_ih_l0.data[0] = 'globalThis.lstmTestHook()';
    expect(codeAndMessage(() => modelFromJSON(json))).toEqual(['INVALID_PARAMETER', 'bias_ih_l0.data[0]: expected a number, got "globalThis.lstmTestHook()"']);
    expect(ran).toBe(false);
  });

  it('the sources have no eval, Function constructor or dynamic import of data', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
    for (const file of files(resolve(__dirname, '../../src')).filter((f) => f.endsWith('.ts'))) {
      const code = readFileSync(file, 'utf8');
      // A dynamic import must name its module with a string literal (comments such as
      // /* @vite-ignore */ before it are fine), never a value that could come from data.
      expect(code, file).not.toMatch(/\beval\s*\(|\bnew\s+Function\s*\(|\bFunction\s*\(|\bimport\s*\((?!\s*(?:\/\*(?:[^*]|\*(?!\/))*\*\/\s*)*['"])/);
    }
  });
});

import type { Tensor } from '../../src/core/tensor.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inputFromJSON, type ParsedInput } from '../../src/formats/input-json.js';
import { modelFromJSON } from '../../src/formats/model-json.js';
import type { LSTM } from '../../src/model/lstm.js';
import { parseTensor } from '../../src/formats/tensor-json.js';

export const kTorchCasesDir = resolve(__dirname, '../fixtures/torch-cases');

export interface TorchCase {
  readonly name: string;
  readonly path: string;
  readonly model: LSTM;
  readonly input: ParsedInput;
  /** Computed by the independent NumPy float64 implementation in test/fixtures/make_fixtures.py. */
  readonly expected: { output: Tensor<Float64Array>; hN: Tensor<Float64Array>; cN: Tensor<Float64Array> };
}

export function torchCaseNames(): string[] {
  return readdirSync(kTorchCasesDir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

export function loadTorchCase(name: string): TorchCase {
  const path = join(kTorchCasesDir, `${name}.json`);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  const expected = JSON.parse(readFileSync(join(kTorchCasesDir, `${name}.expected.json`), 'utf8'));
  const model = modelFromJSON(json);
  return {
    name,
    path,
    model,
    input: inputFromJSON(json, model.config),
    expected: { output: parseTensor('output', expected.output), hN: parseTensor('h_n', expected.h_n), cN: parseTensor('c_n', expected.c_n) },
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= max)) max = d; // NaN propagates as the max
  }
  return max;
}

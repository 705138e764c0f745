import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Tensor } from '../../src/core/tensor.js';
import type { Backend } from '../../src/api/backend.js';
import { OnnxSession } from '../../src/api/onnx-graph/session.js';

/** The committed ONNX fixtures (test/fixtures/make_onnx_fixtures.py): NAME.onnx beside NAME.json. */
const kDir = join(import.meta.dirname, '../fixtures/onnx');
export const kOnnxCases = readdirSync(kDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();

export interface FixtureCase {
  readonly inputs: Record<string, Tensor<number[]>>;
  readonly outputs: Record<string, Tensor<number[]>>;
}

export function loadCase(name: string, dir = kDir, extension = '.onnx'): { bytes: Uint8Array; expected: FixtureCase } {
  return { bytes: readFileSync(join(dir, `${name}${extension}`)), expected: JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) };
}

/** The largest absolute difference, after checking the shapes agree. */
export function maxDifference(actual: Tensor<ArrayLike<number>>, expected: Tensor<ArrayLike<number>>): number {
  expect([...actual.shape]).toEqual([...expected.shape]);
  let worst = 0;
  for (let k = 0; k < expected.data.length; k++) worst = Math.max(worst, Math.abs(actual.data[k] - expected.data[k]));
  return worst;
}

/** Runs a file through OnnxSession (on `backend`, else the CPU reference) and gives its outputs as {shape, data} by name. */
export async function runSession(bytes: Uint8Array, feeds: Record<string, Tensor<ArrayLike<number>>>, backend?: Pick<Backend, 'load'>): Promise<Map<string, Tensor<number[]>>> {
  const session = await OnnxSession.create(bytes, backend ? { backend } : {});
  try {
    const outputs = await session.run(feeds);
    return new Map(Object.entries(outputs).map(([name, t]) => [name, { shape: [...t.dims], data: Array.from(t.data, Number) }]));
  } finally {
    session.dispose();
  }
}

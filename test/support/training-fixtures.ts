import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OptimizerOptions } from '../../src/api/train/types.js';
import type { LossKind } from '../../src/core/training.js';

/** The PyTorch-made training fixtures (test/fixtures/make_training_fixtures.py), shared by the CPU and GPU tests. */
export const kTrainingFixturesDir = resolve(__dirname, '../fixtures/training');

type TensorJSON = { shape: number[]; data: number[] };

export interface TrainingFixture {
  kind: 'gradients' | 'train' | 'fit';
  model: unknown;
  input: { x: TensorJSON; y: TensorJSON; lengths?: number[]; h0?: TensorJSON; c0?: TensorJSON };
  loss: LossKind;
  train?: { optimizer: OptimizerOptions; clipNorm?: number; singleBias?: boolean; steps: number };
  fit?: { optimizer: OptimizerOptions; epochs: number; batchSize: number; validationSplit: number };
}

export function loadTrainingFixture(name: string): TrainingFixture {
  return JSON.parse(readFileSync(join(kTrainingFixturesDir, `${name}.json`), 'utf8'));
}

export function trainingFixtureNames(kind: TrainingFixture['kind']): string[] {
  return readdirSync(kTrainingFixturesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .filter((n) => loadTrainingFixture(n).kind === kind)
    .sort();
}

/** steps, batch, lengths, h0, c0 of a fixture's input, in the model's layout. */
export function fixtureDataOptions(f: TrainingFixture, batchFirst: boolean) {
  const [a, b] = f.input.x.shape;
  return {
    steps: batchFirst ? b : a,
    batch: batchFirst ? a : b,
    ...(f.input.lengths ? { lengths: f.input.lengths } : {}),
    ...(f.input.h0 ? { h0: f.input.h0.data, c0: f.input.c0!.data } : {}),
  };
}

/** max |a − e| / max(1, max |e|): the bound for GPU gradients is 1e-4 of this. */
export function scaledError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let diff = 0;
  let scale = 1;
  for (let k = 0; k < expected.length; k++) {
    const d = Math.abs(actual[k] - expected[k]);
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(expected[k]));
  }
  return diff / scale;
}

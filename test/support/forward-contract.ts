import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults, kDefaultTolerance } from '../../src/api/compare.js';
import type { ForwardOptions } from '../../src/api/forward-input.js';
import { contractFaults } from '../../src/api/result-contract.js';
import { referenceResult } from '../../src/api/runner.js';
import type { ForwardResult } from '../../src/core/results.js';
import type { LSTM } from '../../src/model/lstm.js';
import { randomCase, type CaseSpec } from './random-case.js';

/**
 * The forward-result contract, one suite for every backend and runtime (CPU, WebGPU in the browser,
 * Dawn, the Chromium runtime): each case's result must have exactly the keys the contract names
 * (output, hN, cN, prediction with a head, trace when asked, stats), each of the contract's shape in
 * the caller's layout, with values that agree with the float64 reference key by key, prediction and
 * trace included. The expected shapes are written out here by hand, not computed by the library.
 */
export interface ContractCase extends CaseSpec {
  readonly name: string;
  /** The keys and shapes the result must have, written out by hand. */
  readonly expected: Readonly<Record<string, readonly number[] | 'entries' | 'present'>>;
}

export const kContractCases: readonly ContractCase[] = [
  {
    name: "dense head over 'last', two layers, time-major",
    inputSize: 3, hiddenSize: 5, numLayers: 2, head: { layers: [{ outFeatures: 4, activation: 'tanh' }, { outFeatures: 2 }] }, steps: 4, batch: 3, seed: 11,
    expected: { output: [4, 3, 5], hN: [2, 3, 5], cN: [2, 3, 5], prediction: [3, 2], stats: 'present' },
  },
  {
    name: "head over 'sequence', bidirectional, batchFirst, lengths, trace",
    inputSize: 2, hiddenSize: 4, bidirectional: true, batchFirst: true, head: { over: 'sequence', layers: [{ outFeatures: 3, activation: 'softmax' }] },
    steps: 5, batch: 2, lengths: [5, 3], trace: true, seed: 12,
    expected: { output: [2, 5, 8], hN: [2, 2, 4], cN: [2, 2, 4], prediction: [2, 5, 3], trace: 'entries', stats: 'present' },
  },
  {
    name: 'no head, initial state, trace',
    inputSize: 4, hiddenSize: 3, numLayers: 2, steps: 3, batch: 2, withState: true, trace: true, seed: 13,
    expected: { output: [3, 2, 3], hN: [2, 2, 3], cN: [2, 2, 3], trace: 'entries', stats: 'present' },
  },
];

export interface ContractCaseData {
  readonly model: LSTM;
  readonly x: Float64Array;
  readonly options: ForwardOptions;
}

export function contractCaseData(spec: ContractCase): ContractCaseData {
  return randomCase(spec);
}

/** Where the suite runs: forward one case's model on the backend under test. */
export interface ContractTarget {
  forward(data: ContractCaseData): Promise<ForwardResult>;
  close?(): Promise<void>;
}

/** Asserts the contract for one result (keys, shapes, values against the reference). */
export function expectContract(spec: ContractCase, data: ContractCaseData, result: ForwardResult): void {
  const present = Object.keys(result).filter((key) => (result as unknown as Record<string, unknown>)[key] !== undefined).sort();
  expect(present, 'the keys of the result').toEqual(Object.keys(spec.expected).sort());
  for (const [key, shape] of Object.entries(spec.expected)) {
    if (Array.isArray(shape)) expect((result as unknown as Record<string, { shape: number[] }>)[key].shape, `${key}'s shape`).toEqual(shape);
  }
  expect(contractFaults(data.model.config, data.options, result)).toEqual([]);
  const report = compareResults(data.model.config, referenceResult(data.model, data.x, data.options), result, kDefaultTolerance);
  expect(report.missing).toEqual([]);
  if (spec.head) expect(report.prediction?.failures, 'prediction outside the tolerance').toBe(0);
  if (spec.trace) expect(report.trace?.failures, 'trace outside the tolerance').toBe(0);
  expect(report.passed, JSON.stringify({ output: report.output.maxAbs, prediction: report.prediction?.maxAbs })).toBe(true);
}

/** The shared suite: every contract case on one backend or runtime. */
export function describeForwardContract(label: string, open: () => Promise<ContractTarget>): void {
  describe(`the forward-result contract: ${label}`, () => {
    let target: ContractTarget;
    beforeAll(async () => {
      target = await open();
    });
    afterAll(async () => {
      await target?.close?.();
    });
    for (const spec of kContractCases) {
      it(spec.name, async () => {
        const data = contractCaseData(spec);
        expectContract(spec, data, await target.forward(data));
      });
    }
  });
}

import { beforeAll, describe, expect, it } from 'vitest';
import { useKitSession, type CheckReport, type KitWindow } from '../support/page-kit.js';

// The nonFinite policy on the GPU (SwiftShader). WGSL lets an implementation assume no NaN or
// infinity, so what the kernels do with them is measured here, not assumed: with 'propagate' the
// GPU must give NaN and ±Infinity exactly where the float64 reference does, and agree within the
// tolerance everywhere else, on both recurrence paths. docs/errors.md records the findings.

const session = useKitSession();

interface Injected {
  readonly report: CheckReport;
  /** NaN elements in the GPU's output, h_n and c_n. */
  readonly nans: number;
}

const kCases = [
  'NaN in x',
  '+Infinity in x',
  '-Infinity in x',
  'NaN in x past its sequence length',
  'NaN in h0',
  'Infinity in c0',
  'NaN in weight_hh_l1',
  'Infinity in bias_ih_l0',
  '-Infinity in weight_ih_l0_reverse',
] as const;

/** Runs every case on one recurrence path: GPU and CPU on the same non-finite input. */
async function runPath(recurrence: 'steps' | 'sequence'): Promise<Record<string, Injected>> {
  return session().page.evaluate(
    async (path: 'steps' | 'sequence', names: readonly string[]) => {
      const { webgpuLstm: lib, lstmKit: kit } = window as unknown as KitWindow;
      const backend = await lib.createBackend({ prefer: 'webgpu' });
      const [T, B, I, H] = [6, 3, 4, 5];
      const stateSize = 4 * B * H;
      const at = (t: number, b: number, k: number) => (t * B + b) * I + k;
      const results: Record<string, Injected> = {};
      for (const name of names) {
        const x = kit.wave(T * B * I);
        const h0 = kit.wave(stateSize, 1).map((v) => 0.1 * v);
        const c0 = kit.wave(stateSize, 2).map((v) => 0.1 * v);
        const params = lib.LSTM.random({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, seed: 3 }).tensors();
        const poke = (param: string, index: number, value: number) => (params.get(param)!.data[index] = value);
        ({
          'NaN in x': () => (x[at(2, 1, 2)] = NaN),
          '+Infinity in x': () => (x[at(2, 1, 2)] = Infinity),
          '-Infinity in x': () => (x[at(3, 0, 0)] = -Infinity),
          'NaN in x past its sequence length': () => (x[at(4, 1, 0)] = NaN),
          'NaN in h0': () => (h0[B * H + 2 * H + 1] = NaN),
          'Infinity in c0': () => (c0[H + 3] = Infinity),
          'NaN in weight_hh_l1': () => poke('weight_hh_l1', 7, NaN),
          'Infinity in bias_ih_l0': () => poke('bias_ih_l0', 3, Infinity),
          '-Infinity in weight_ih_l0_reverse': () => poke('weight_ih_l0_reverse', 5, -Infinity),
        })[name as (typeof names)[number]]!();
        const model = new lib.LSTM({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true }, params, { nonFinite: 'propagate' });
        const options = { steps: T, batch: B, h0, c0, lengths: [6, 3, 5], nonFinite: 'propagate' as const };
        const runner = await backend.load(model, { recurrence: path });
        const result = await runner.forward(x, options);
        runner.dispose();
        const nans = [result.output, result.hN, result.cN].reduce((n, t) => n + Array.from(t.data).filter(Number.isNaN).length, 0);
        results[name] = { report: await kit.check(model, x, options, result), nans };
      }
      backend.dispose();
      return results;
    },
    recurrence,
    kCases,
  );
}

describe.each(['steps', 'sequence'] as const)("nonFinite: 'propagate' on the %s path", (recurrence) => {
  let results: Record<string, Injected>;
  beforeAll(async () => {
    results = await runPath(recurrence);
  });

  it.each(kCases)('%s: the GPU has NaN and ±Infinity where the CPU has them, and agrees elsewhere', (name) => {
    const { report } = results[name];
    expect(report.passed, report.worst).toBe(true);
  });

  it('NaN really travels: in x and h0 it reaches its own sequence, in a weight every one', () => {
    expect(results['NaN in x'].nans).toBeGreaterThan(0);
    expect(results['NaN in h0'].nans).toBeGreaterThan(0);
    expect(results['NaN in weight_hh_l1'].nans).toBeGreaterThan(0);
  });

  it('a NaN the sequence never reaches (past its length) changes nothing', () => {
    expect(results['NaN in x past its sequence length'].nans).toBe(0);
  });
});

describe("the default policy, 'reject', on the GPU runner", () => {
  it('names the first non-finite value of h0 by position, before any GPU work', async () => {
    const error = await session().page.evaluate(async () => {
      const { webgpuLstm: lib, lstmKit: kit } = window as unknown as KitWindow;
      const backend = await lib.createBackend({ prefer: 'webgpu' });
      const runner = await backend.load(lib.LSTM.random({ inputSize: 2, hiddenSize: 3, seed: 1 }));
      const h0 = new Float64Array(6).fill(-Infinity, 4);
      const outcome = await runner.forward(kit.wave(16), { steps: 4, batch: 2, h0 }).then(() => null, (e: { code: string; message: string }) => [e.code, e.message]);
      backend.dispose();
      return outcome;
    });
    expect(error).toEqual(['NON_FINITE', "h0 at layer·direction=0, b=1, unit=1 (flat index 4) is -Infinity; values must be finite (nonFinite: 'propagate' passes them through)"]);
  });
});

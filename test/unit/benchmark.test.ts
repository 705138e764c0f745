import { describe, expect, it } from 'vitest';
import { benchmark } from '../../src/api/benchmark/index.js';
import { describeCrossover } from '../../src/api/benchmark/crossover.js';
import { forwardFlops, summarizeTimes, timeInterleaved } from '../../src/api/benchmark/protocol.js';
import type { BenchmarkRow, EngineName } from '../../src/api/benchmark/types.js';
import { LSTM } from '../../src/model/lstm.js';

/** A row as benchmark() makes it, with a hand-chosen median (status 'ok') or none. */
function row(engine: EngineName, batch: number, medianMs: number | null, shape: { steps?: number; inputSize?: number; hiddenSize?: number } = {}): BenchmarkRow {
  const full = { batch, steps: shape.steps ?? 100, inputSize: shape.inputSize ?? 32, hiddenSize: shape.hiddenSize ?? 128, layers: 1, bidirectional: false };
  return {
    shape: full,
    id: engine === 'wasm' ? 'wasm-2t' : engine,
    engine,
    threads: engine === 'wasm' ? 2 : null,
    status: medianMs === null ? 'absent' : 'ok',
    note: medianMs === null ? 'BACKEND_UNAVAILABLE: no navigator.gpu' : null,
    firstResultMs: medianMs,
    timesMs: medianMs === null ? [] : [medianMs],
    medianMs,
    minMs: medianMs,
    maxMs: medianMs,
    gflops: null,
    verified: null,
  };
}

describe('the crossover in words', () => {
  it('says from which B WebGPU is faster when the GPU wins the larger batches', () => {
    const rows = [1, 4, 16, 64].flatMap((b) => [row('webgpu', b, 10 + b * 0.1), row('wasm', b, 1 + b * 0.8), row('cpu', b, 5 + b * 3)]);
    // wasm: 1.8, 4.2, 13.8, 52.2; webgpu: 10.1, 10.4, 11.6, 16.4: WebGPU wins from B = 16.
    const { summary, groups } = describeCrossover(rows);
    expect(groups).toHaveLength(1);
    expect(groups[0].gpuFasterAt).toEqual([16, 64]);
    expect(groups[0].cpuFasterAt).toEqual([1, 4]);
    expect(summary).toBe('WebGPU is faster from B = 16 at (T, I, H) = (100, 32, 128); the wasm engine below it (B = 1, 4)');
  });

  it('says the wasm engine is faster at every shape when it wins everywhere, and flags a software adapter', () => {
    const rows = [row('webgpu', 1, 20), row('wasm', 1, 2), row('webgpu', 16, 100, { inputSize: 64 }), row('wasm', 16, 8, { inputSize: 64 })];
    expect(describeCrossover(rows).summary).toBe('The wasm engine is faster at every shape tried here');
    expect(describeCrossover(rows, true).summary).toBe('The wasm engine is faster at every shape tried here (WebGPU here runs on a software adapter: CPU speed behind a GPU API)');
  });

  it('says WebGPU is faster at every shape, and names the reference when it is the only CPU engine', () => {
    expect(describeCrossover([row('webgpu', 1, 1), row('wasm', 1, 2), row('webgpu', 8, 1), row('wasm', 8, 9)]).summary).toBe('WebGPU is faster at every shape tried here');
    expect(describeCrossover([row('webgpu', 1, 3), row('cpu', 1, 2)]).summary).toBe('The CPU reference is faster at every shape tried here');
    // The reference fastest at one B, the wasm engine at another: both are named.
    const mixed = [row('webgpu', 1, 9), row('wasm', 1, 3), row('cpu', 1, 2), row('webgpu', 8, 9), row('wasm', 8, 3), row('cpu', 8, 5)];
    expect(describeCrossover(mixed).summary).toBe('The CPU side (the wasm engine or the reference, whichever was faster) is faster at every shape tried here');
  });

  it('lists both sides when the winner changes more than once, and the wasm engine from a B when it wins the large ones', () => {
    const zigzag = [row('webgpu', 1, 1), row('wasm', 1, 2), row('webgpu', 4, 3), row('wasm', 4, 2), row('webgpu', 16, 1), row('wasm', 16, 2)];
    expect(describeCrossover(zigzag).summary).toBe('at (T, I, H) = (100, 32, 128), WebGPU is faster at B = 1, 16 and the wasm engine at B = 4');
    const cpuLate = [row('webgpu', 1, 1), row('wasm', 1, 2), row('webgpu', 64, 9), row('wasm', 64, 2)];
    expect(describeCrossover(cpuLate).summary).toBe('the wasm engine is faster from B = 64 at (T, I, H) = (100, 32, 128); WebGPU below it (B = 1)');
  });

  it('says why there is no comparison when WebGPU is absent', () => {
    const { summary, groups } = describeCrossover([row('webgpu', 1, null), row('wasm', 1, 2)]);
    expect(groups[0].gpuFasterAt).toEqual([]);
    expect(summary).toBe('no GPU/CPU comparison: at (T, I, H) = (100, 32, 128): WebGPU was not timed (absent: BACKEND_UNAVAILABLE: no navigator.gpu)');
  });
});

describe('the shared protocol', () => {
  it('rotates the order each round and stops an engine at its budget after at least one run', async () => {
    const calls: string[] = [];
    const cost: Record<string, number> = { a: 1, b: 40 };
    const outcomes = await timeInterleaved([{ id: 'a', warmupMs: 0 }, { id: 'b', warmupMs: 30 }], { reps: 4, budgetMs: 100 }, async (id) => {
      calls.push(id);
      return cost[id];
    });
    // b: warm-up 30 + 40 = 70, and 70 + 40 > 100: it stops after one timed run.
    expect(calls).toEqual(['a', 'b', 'a', 'a', 'a']);
    expect(outcomes.get('a')).toEqual({ timesMs: [1, 1, 1, 1], stop: 'reps', error: null });
    expect(outcomes.get('b')).toEqual({ timesMs: [40], stop: 'budget', error: null });
  });

  it('records a failing run as the engine\'s error and carries on with the others', async () => {
    const outcomes = await timeInterleaved([{ id: 'a', warmupMs: 0 }, { id: 'bad', warmupMs: 0 }], { reps: 3, budgetMs: 1e9 }, async (id) => {
      if (id === 'bad') throw new Error('device lost');
      return 2;
    });
    expect(outcomes.get('bad')).toEqual({ timesMs: [], stop: 'error', error: 'device lost' });
    expect(outcomes.get('a')!.timesMs).toEqual([2, 2, 2]);
  });

  it('summarises times by median, min and max, and counts the forward FLOPs as 2·B·T·4H·(I+H) per layer and direction', () => {
    expect(summarizeTimes([5, 1, 3, 2])).toEqual({ medianMs: 2.5, minMs: 1, maxMs: 5 });
    expect(summarizeTimes([])).toBeNull();
    expect(forwardFlops({ batch: 2, steps: 3, inputSize: 4, hiddenSize: 5 })).toBe(2 * 2 * 3 * 20 * 9);
    // A second bidirectional layer reads 2H wide.
    expect(forwardFlops({ batch: 1, steps: 1, inputSize: 4, hiddenSize: 5, layers: 2, bidirectional: true })).toBe(2 * 2 * 20 * 9 + 2 * 2 * 20 * 15);
  });
});

describe('benchmark() (the main entry in Node: the wasm engine and the CPU reference; no navigator.gpu)', () => {
  it('verifies, then times, each engine, reports WebGPU absent with the reason, and says why there is no crossover', async () => {
    const progress: number[] = [];
    const model = LSTM.random({ inputSize: 8, hiddenSize: 16, seed: 3 });
    const result = await benchmark(model, [{ batch: 1, steps: 6 }, { batch: 4, steps: 6 }], { threads: [1, 2], reps: 3, onProgress: (p) => progress.push(p.done) });
    expect(result.engines.map((e) => [e.id, e.available])).toEqual([['webgpu', false], ['wasm-1t', true], ['wasm-2t', true], ['cpu', true]]);
    expect(result.engines[0].reason).toMatch(/BACKEND_UNAVAILABLE/);
    expect(result.rows.map((r) => `${r.shape.batch} ${r.id} ${r.status}`)).toEqual(['1 webgpu absent', '1 wasm-1t ok', '1 wasm-2t ok', '1 cpu ok', '4 webgpu absent', '4 wasm-1t ok', '4 wasm-2t ok', '4 cpu ok']);
    for (const r of result.rows.filter((r) => r.status === 'ok')) {
      expect(r.timesMs).toHaveLength(3);
      expect(r.minMs!).toBeLessThanOrEqual(r.medianMs!);
      expect(r.maxMs!).toBeGreaterThanOrEqual(r.medianMs!);
      expect(r.gflops).toBeCloseTo(forwardFlops(r.shape) / r.medianMs! / 1e6, 6);
      expect(r.verified!.passed).toBe(true);
      expect(r.verified!.maxAbs).toBeLessThanOrEqual(1e-5);
    }
    // The reference judged against itself: exactly equal.
    expect(result.rows.find((r) => r.id === 'cpu')!.verified!.maxAbs).toBe(0);
    expect(result.rows[0].note).toMatch(/BACKEND_UNAVAILABLE/);
    expect(result.crossover.summary).toMatch(/^no GPU\/CPU comparison: at \(T, I, H\) = \(6, 8, 16\): WebGPU was not timed \(absent: BACKEND_UNAVAILABLE/);
    expect(progress.at(-1)).toBe(2 * 3 * (1 + 3));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('makes a seeded random model per shape when model is null, and times once a thread count the default equals', async () => {
    const result = await benchmark(null, [{ batch: 2, steps: 3, inputSize: 5, hiddenSize: 7 }], { engines: ['wasm'], reps: 1 });
    const ids = result.engines.map((e) => e.id);
    // Default threads [1, all]: on one core "all" is 1 and is timed once.
    expect(ids[0]).toBe('wasm-1t');
    expect(ids.length).toBe(2);
    if (ids[1] === 'wasm-all') expect(result.engines[1].reason).toMatch(/^all threads is 1 here: timed once, as wasm-1t/);
    else expect(ids[1]).toMatch(/^wasm-\d+t$/);
    expect(result.rows.every((r) => r.shape.inputSize === 5 && r.shape.hiddenSize === 7 && r.status === 'ok')).toBe(true);
  });

  it('refuses bad arguments with INVALID_ARGUMENT naming the argument', async () => {
    const model = LSTM.random({ inputSize: 4, hiddenSize: 4 });
    const bad = (m: LSTM | null, shapes: unknown, options?: unknown) => benchmark(m, shapes as never, options as never);
    await expect(bad(model, [])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^shapes: expected a non-empty list/) });
    await expect(bad(model, [{ batch: 0, steps: 2 }])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^shapes\[0\]\.batch: expected an integer from 1/) });
    await expect(bad(model, [{ batch: 1, steps: 2, inputSize: 9 }])).rejects.toMatchObject({ message: "shapes[0].inputSize: the model's inputSize is 4, got 9" });
    await expect(bad(null, [{ batch: 1, steps: 2 }])).rejects.toMatchObject({ message: expect.stringMatching(/^shapes\[0\]\.inputSize: .*required when model is null/) });
    await expect(bad(model, [{ batch: 1, steps: 2 }], { engines: ['gpu'] })).rejects.toMatchObject({ message: expect.stringMatching(/^options\.engines: expected .*'webgpu', 'wasm', 'cpu', got \["gpu"\]/) });
    await expect(bad(model, [{ batch: 1, steps: 2 }], { threads: [0] })).rejects.toMatchObject({ message: expect.stringMatching(/^options\.threads: /) });
    await expect(bad(model, [{ batch: 1, steps: 2 }], { reps: 1.5 })).rejects.toMatchObject({ message: expect.stringMatching(/^options\.reps: /) });
    await expect(bad(model, [{ batch: 1, steps: 2 }], { budgetMs: -1 })).rejects.toMatchObject({ message: expect.stringMatching(/^options\.budgetMs: /) });
    await expect(bad({} as LSTM, [{ batch: 1, steps: 2 }])).rejects.toMatchObject({ message: expect.stringMatching(/^model: expected an LSTM/) });
    await expect(bad(model, [{ batch: 1 << 20, steps: 1 << 10 }])).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
  });
});

import { describe, it, expect } from 'vitest';
import { LSTM, createBackend } from '../../src/index.js';
import { WasmEngine } from '../../src/wasm/engine/engine.js';
import { WasmRunner } from '../../src/wasm/runner.js';
import { frontRunner } from '../../src/api/runner.js';

describe('wasm smoke', () => {
  for (const threads of [1, 2]) it(`matches cpu, threads ${threads}`, async () => {
    const engine = await WasmEngine.create({ threads });
    const cpu = await createBackend({ prefer: 'cpu' });
    for (const spec of [
      { inputSize: 3, hiddenSize: 5, numLayers: 1, bidirectional: false },
      { inputSize: 7, hiddenSize: 33, numLayers: 2, bidirectional: true },
      { inputSize: 16, hiddenSize: 128, numLayers: 1, bidirectional: false },
    ]) {
      const model = LSTM.random({ ...spec, seed: 3 });
      const T = 9, B = 5;
      const x = Float64Array.from({ length: T * B * spec.inputSize }, (_, i) => Math.sin(i * 0.37));
      const lengths = [9, 3, 1, 7, 9];
      const runner = frontRunner(model, new WasmRunner(engine, model));
      const ref = await (await cpu.load(model)).forward(x, { steps: T, batch: B, lengths });
      const got = await runner.forward(x, { steps: T, batch: B, lengths });
      let max = 0;
      for (const key of ['output', 'hN', 'cN'] as const) for (let i = 0; i < ref[key].data.length; i++) max = Math.max(max, Math.abs(ref[key].data[i] - got[key].data[i]));
      console.log(threads, spec.hiddenSize, 'max err', max);
      expect(max).toBeLessThan(1e-5);
    }
    engine.dispose();
  });
});

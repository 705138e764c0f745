import { it } from 'vitest';
import { LSTM } from '../../src/index.js';
import { WasmEngine } from '../../src/wasm/engine/engine.js';
import { WasmRunner } from '../../src/wasm/runner.js';

it('perf', async () => {
  for (const threads of [1, 2]) {
    const engine = await WasmEngine.create({ threads });
    for (const [B, T, I, H] of [[1, 100, 32, 128], [16, 100, 64, 128], [64, 100, 128, 256], [1, 1000, 16, 64]]) {
      const model = LSTM.random({ inputSize: I, hiddenSize: H, seed: 1 });
      const runner = new WasmRunner(engine, model);
      const x = Float64Array.from({ length: T * B * I }, (_, i) => Math.sin(i));
      const input = { steps: T, batch: B, x, h0: null, c0: null, lengths: null, trace: false };
      const times: number[] = [];
      for (let r = 0; r < 25; r++) {
        const t0 = performance.now();
        runner.forward(input);
        times.push(performance.now() - t0);
      }
      const first = times[0];
      times.sort((a, b) => a - b);
      const med = times[12];
      const flops = 2 * T * B * 4 * H * (I + H);
      console.log(`threads ${threads} (${B},${T},${I},${H}) first ${first.toFixed(2)} ms median ${med.toFixed(3)} ms ${(flops / med / 1e6).toFixed(1)} GFLOP/s`);
      runner.dispose();
    }
    engine.dispose();
  }
}, 600000);

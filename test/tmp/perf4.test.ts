import { it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { LSTM } from '../../src/index.js';

const median = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
it('perf4', async () => {
  for (const threads of [1, 2]) {
    const backend = await createBackend({ prefer: 'wasm', threads });
    for (const [B, T, I, H] of [[1, 100, 32, 128], [16, 100, 64, 128], [64, 100, 128, 256], [1, 1000, 16, 64]]) {
      const model = LSTM.random({ inputSize: I, hiddenSize: H, seed: 1 });
      const runner = await backend.load(model);
      const x = Float64Array.from({ length: T * B * I }, (_, i) => Math.sin(i));
      const t0 = performance.now(); await runner.forward(x, { steps: T, batch: B }); const first = performance.now() - t0;
      const ts: number[] = [];
      for (let r = 0; r < 9; r++) { const s = performance.now(); await runner.forward(x, { steps: T, batch: B }); ts.push(performance.now() - s); }
      const m = median(ts);
      console.log(`threads ${threads} (${B},${T},${I},${H}) first ${first.toFixed(2)} median ${m.toFixed(2)} ms ${(2 * T * B * 4 * H * (I + H) / m / 1e6).toFixed(1)} GFLOP/s`);
      runner.dispose();
    }
    const [B, T, I, H] = [256, 50, 128, 256];
    const model = LSTM.random({ inputSize: I, hiddenSize: H, seed: 1, head: { over: 'last', layers: [{ outFeatures: 1 }] } } as any);
    const trainer = await backend.train(model, { loss: 'mse' });
    const x = Float64Array.from({ length: T * B * I }, (_, i) => Math.sin(i));
    const y = Float64Array.from({ length: B }, (_, i) => Math.cos(i));
    const ts: number[] = [];
    for (let r = 0; r < 4; r++) { const s = performance.now(); await trainer.fit(x, y, { steps: T, batch: B, epochs: 1, batchSize: B, shuffle: false }); ts.push(performance.now() - s); }
    console.log(`threads ${threads} train step (256,50,128,256) ${ts.map((t) => t.toFixed(0)).join(' ')} ms`);
    trainer.dispose();
    backend.dispose();
  }
}, 600000);

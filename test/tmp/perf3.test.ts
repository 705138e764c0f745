import { it } from 'vitest';
import { LSTM } from '../../src/index.js';
import { WasmEngine } from '../../src/wasm/engine/engine.js';
import { ForwardPass } from '../../src/wasm/plan/forward.js';
import { PackedModel } from '../../src/wasm/plan/packed-model.js';

it('perf3', async () => {
  const engine = await WasmEngine.create({ threads: 1 });
  const [B, T, I, H] = [64, 100, 128, 256];
  const model = LSTM.random({ inputSize: I, hiddenSize: H, seed: 1 });
  const packed = new PackedModel(engine, model);
  const x = Float64Array.from({ length: T * B * I }, (_, i) => Math.sin(i));
  const input = { steps: T, batch: B, x, h0: null, c0: null, lengths: null, trace: false };
  for (let r = 0; r < 8; r++) {
    const t0 = performance.now();
    const pass = new ForwardPass(engine, packed, input, 'none');
    const t1 = performance.now();
    (pass as any).fill.forEach(([at, v]: any) => engine.floats(at, v.length).set(v));
    const t2 = performance.now();
    engine.run((pass as any).plan);
    const t3 = performance.now();
    pass.output(); pass.states();
    const t4 = performance.now();
    pass.release();
    console.log(`alloc ${(t1 - t0).toFixed(2)} fill ${(t2 - t1).toFixed(2)} run ${(t3 - t2).toFixed(2)} read ${(t4 - t3).toFixed(2)}`);
  }
}, 600000);

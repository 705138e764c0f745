import { it } from 'vitest';
import { WasmEngine } from '../../src/wasm/engine/engine.js';
import { WasmRunner } from '../../src/wasm/runner.js';
import { ForwardPass } from '../../src/wasm/plan/forward.js';
import { PackedModel } from '../../src/wasm/plan/packed-model.js';
import { frontRunner } from '../../src/api/runner.js';
import { LSTM } from '../../src/index.js';
const median = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
const time = (f: () => void, n = 7) => { const ts: number[] = []; for (let r = 0; r < n; r++) { const s = performance.now(); f(); ts.push(performance.now() - s); } return median(ts).toFixed(2); };
it('perf5', async () => {
  for (const threads of [1, 2]) {
    const engine = await WasmEngine.create({ threads });
    const [B, T, I, H] = [64, 100, 128, 256];
    const model = LSTM.random({ inputSize: I, hiddenSize: H, seed: 1 });
    const packed = new PackedModel(engine, model);
    const x = Float64Array.from({ length: T * B * I }, (_, i) => Math.sin(i));
    const input = { steps: T, batch: B, x, h0: null, c0: null, lengths: null, trace: false };
    const pass = new ForwardPass(engine, packed, input, 'none');
    const plan = (pass as any).plan;
    console.log(threads, 'run()', time(() => pass.run()), 'gemm only', time(() => engine.run(plan.slice(0, 2))), 'rec only', time(() => engine.run(plan.slice(2))), 'output()', time(() => pass.output()), 'states', time(() => pass.states()));
    pass.release();
    const runner = frontRunner(model, new WasmRunner(engine, model));
    const ts: number[] = [];
    for (let r = 0; r < 7; r++) { const s = performance.now(); await runner.forward(x, { steps: T, batch: B }); ts.push(performance.now() - s); }
    console.log(threads, 'runner.forward', median(ts).toFixed(2));
    engine.dispose();
  }
}, 600000);

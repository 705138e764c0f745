import { it } from 'vitest';
import { WasmEngine } from '../../src/wasm/engine/engine.js';

it('perf2', async () => {
  const engine = await WasmEngine.create({ threads: 1 });
  const heap = engine.heap;
  const B = 64, T = 100, I = 128, H = 256, cols = 4 * H;
  const rows = T * B;
  const x = heap.alloc(rows * I * 4, 'x'), w = heap.alloc(cols * I * 4, 'w'), g = heap.alloc(rows * cols * 4, 'g');
  const whh = heap.alloc(cols * H * 4, 'whh'), state = heap.alloc(B * 3 * H * 4, 's'), out = heap.alloc(rows * H * 4, 'o');
  const hN = heap.alloc(B * H * 4, 'h'), cN = heap.alloc(B * H * 4, 'c');
  engine.floats(x, rows * I).forEach((_, i, a) => (a[i] = Math.sin(i) * 0.1));
  engine.floats(w, cols * I).forEach((_, i, a) => (a[i] = Math.cos(i) * 0.1));
  engine.floats(whh, cols * H).forEach((_, i, a) => (a[i] = Math.cos(i * 3) * 0.05));
  const time = (name: string, plan: any, flops: number) => {
    const ts: number[] = [];
    for (let r = 0; r < 15; r++) { const t0 = performance.now(); engine.run(plan); ts.push(performance.now() - t0); }
    ts.sort((a, b) => a - b);
    console.log(name, ts[7].toFixed(2), 'ms', (flops / ts[7] / 1e6).toFixed(1), 'GFLOP/s');
  };
  time('projection gemm', [{ kernel: 'gemm', args: [rows, cols, I, x, I, w, 64, I * 64, g, cols, 0, 0] }], 2 * rows * cols * I);
  time('recurrence', [{ kernel: 'lstmForward', args: [T, B, H, H, g, whh, 0, 0, 0, 0, 0, state, out, H, 0, hN, cN, 0, 0] }], 2 * rows * cols * H);
  const Bs = 1, Ts = 1000, Hs = 64;
  time('recurrence B=1 H=64 T=1000', [{ kernel: 'lstmForward', args: [Ts, Bs, Hs, Hs, g, whh, 0, 0, 0, 0, 0, state, out, Hs, 0, hN, cN, 0, 0] }], 2 * Ts * Bs * 4 * Hs * Hs);
  time('recurrence B=1 H=128 T=100', [{ kernel: 'lstmForward', args: [100, 1, 128, 128, g, whh, 0, 0, 0, 0, 0, state, out, 128, 0, hN, cN, 0, 0] }], 2 * 100 * 4 * 128 * 128);
  time('recurrence B=16 H=128 T=100', [{ kernel: 'lstmForward', args: [100, 16, 128, 128, g, whh, 0, 0, 0, 0, 0, state, out, 128, 0, hN, cN, 0, 0] }], 2 * 1600 * 4 * 128 * 128);
  console.log('peak', (() => { for (let i = 0; i < 50; i++) engine.fmaProbe(20000); const t0 = performance.now(); engine.fmaProbe(2e6); return (2e6 * 96 / (performance.now() - t0) / 1e6).toFixed(1); })());
}, 600000);

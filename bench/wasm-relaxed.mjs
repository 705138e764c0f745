// The wasm engine's two SIMD builds side by side in the bench page (headless Chromium, cross-origin
// isolated, where relaxed SIMD is on): the relaxed build (f32x4.relaxed_madd, fused where the CPU
// fuses) against the plain one (`relaxedSimd: false`: a rounded product, then a sum), at 1 thread
// and at every thread, each output checked against the float64 reference first. Interleaved
// rounds; prints the medians, their ratio and the largest difference between the two builds.
// Node 20 has no relaxed SIMD without a flag, so this runs in the page only.
//
//   npm run build && node bench/wasm-relaxed.mjs [--rounds 21] [--shapes 1,100,32,128 16,100,64,128 …]
import { openBenchPage } from './lib/session.mjs';

const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const values = [];
  for (let i = at + 1; i < process.argv.length && !process.argv[i].startsWith('--'); i++) values.push(process.argv[i]);
  return values;
};
const rounds = Number(option('--rounds', ['21'])[0]);
const shapes = option('--shapes', ['1,100,32,128', '16,100,64,128', '64,100,128,256', '1,1000,16,64']).map((s) => s.split(',').map(Number));

const session = await openBenchPage();
try {
  for (const [B, T, I, H] of shapes) {
    const result = await session.page.evaluate(
      async (B, T, I, H, rounds) => {
        // @ts-expect-error the bench server serves the built library at /lib/
        const lib = await import('/lib/index.js');
        const model = lib.LSTM.random({ inputSize: I, hiddenSize: H, seed: 1 });
        const x = Float32Array.from({ length: T * B * I }, (_, i) => Math.sin(0.37 * i + 0.1));
        const options = { steps: T, batch: B };
        const cpu = await lib.createBackend({ prefer: 'cpu' });
        const reference = (await (await cpu.load(model)).forward(x, options)).output.data;
        const lanes = {};
        for (const threads of [1, navigator.hardwareConcurrency]) {
          for (const relaxedSimd of [true, false]) {
            const backend = await lib.createBackend({ prefer: 'wasm', threads, relaxedSimd });
            const runner = await backend.load(model);
            const first = (await runner.forward(x, options)).output.data;
            let worst = 0;
            first.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - reference[i]))));
            lanes[`${threads}t ${relaxedSimd ? 'relaxed' : 'plain'}`] = { runner, build: backend.reason.replace(/.*, /, ''), worst, first, times: [] };
          }
        }
        const names = Object.keys(lanes);
        for (let r = 0; r < rounds; r++) {
          for (const name of r % 2 ? [...names].reverse() : names) {
            const start = performance.now();
            await lanes[name].runner.forward(x, options);
            lanes[name].times.push(performance.now() - start);
          }
        }
        const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
        return names.map((name) => {
          const lane = lanes[name];
          const other = lanes[name.replace(/relaxed|plain/, (w) => (w === 'relaxed' ? 'plain' : 'relaxed'))];
          let apart = 0;
          lane.first.forEach((v, i) => (apart = Math.max(apart, Math.abs(v - other.first[i]))));
          return { name, build: lane.build, median: median(lane.times), worst: lane.worst, apart };
        });
      },
      B, T, I, H, rounds,
    );
    const byName = Object.fromEntries(result.map((r) => [r.name, r]));
    console.log(`(${B},${T},${I},${H}), medians of ${rounds} interleaved rounds:`);
    for (const r of result) console.log(`  ${r.name.padEnd(12)} ${r.build.padEnd(22)} ${r.median.toFixed(2).padStart(8)} ms  max |err| vs float64 ${r.worst.toExponential(1)}  max |relaxed − plain| ${r.apart.toExponential(1)}`);
    for (const t of [...new Set(result.map((r) => r.name.split(' ')[0]))]) {
      console.log(`  ${t}: relaxed ÷ plain = ${(byName[`${t} relaxed`].median / byName[`${t} plain`].median).toFixed(3)}`);
    }
  }
} finally {
  await session.close();
}

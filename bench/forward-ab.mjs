// Before/after of the plain LSTM's forward on WebGPU through Dawn in Node, for a busy machine: two
// builds loaded in one process, their calls interleaved (order alternating each round), so both see
// the same load. Prints wall and CPU-time medians, the median of the per-round after/before ratios,
// and the largest difference between the two builds' outputs.
//
//   node bench/forward-ab.mjs --before /tmp/wt-before/dist --after dist [--rounds 60] [--shape 0…5]
//   (without a GPU: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node bench/forward-ab.mjs …)
//
// Shapes: the bench's forward grid (bench/lib/grid.mjs kFullGrid) by index: 0 = (1, 100, 32, 128),
// 1 = (16, 100, 64, 128), 2 = (64, 100, 128, 256), 3 = (256, 50, 128, 256), 4 = (1, 1000, 16, 64),
// 5 = (32, 100, 64, 128) two bidirectional layers. The second build created
// runs a few percent slower on SwiftShader whatever it is (A/A runs: 1.00–1.06), so run it both
// ways (--before and --after swapped) and take the geometric mean of after/before and 1/(the other).
// A "before" build is a `git worktree` of the earlier commit with node_modules symlinked, built
// with `npx vite build`.
function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : process.argv[at + 1];
}
const dirs = { before: option('before', null), after: option('after', 'dist') };
if (!dirs.before) throw new Error('--before DIR: the dist folder of the build to compare against');
const rounds = Number(option('rounds', '60'));
const { kFullGrid } = await import('./lib/grid.mjs');
const grid = kFullGrid[Number(option('shape', '0'))];
const [B, T, I, H] = [grid.batch, grid.steps, grid.inputSize, grid.hiddenSize];
const layers = { numLayers: grid.layers, bidirectional: grid.bidirectional };
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const { resolve } = await import('node:path');

const builds = {};
for (const name of ['before', 'after']) {
  const dist = resolve(dirs[name]);
  const { createNodeBackend } = await import(`${dist}/node.js`);
  const { LSTM } = await import(`${dist}/index.js`);
  const backend = await createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
  const runner = await backend.load(LSTM.random({ inputSize: I, hiddenSize: H, ...layers, seed: 3 }));
  builds[name] = { backend, runner, wall: [], cpu: [] };
}
const x = Float64Array.from({ length: T * B * I }, (_, i) => Math.sin(0.37 * i + 0.1));
async function call(build) {
  const start = performance.now();
  const startCpu = process.cpuUsage(); // SwiftShader's worker threads are this process's
  const result = await build.runner.forward(x, { steps: T, batch: B });
  const used = process.cpuUsage(startCpu);
  return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000, output: result.output.data };
}
for (const build of Object.values(builds)) for (let w = 0; w < 2; w++) await call(build);
const [a, b] = [(await call(builds.before)).output, (await call(builds.after)).output];
let maxOutputDiff = 0;
for (let i = 0; i < a.length; i++) maxOutputDiff = Math.max(maxOutputDiff, Math.abs(a[i] - b[i]));
const ratios = [];
for (let r = 0; r < rounds; r++) {
  const got = {};
  for (const name of r % 2 ? ['after', 'before'] : ['before', 'after']) {
    got[name] = await call(builds[name]);
    builds[name].wall.push(got[name].wall);
    builds[name].cpu.push(got[name].cpu);
  }
  ratios.push(got.after.wall / got.before.wall);
}
const summary = (build) => ({ wallMedianMs: +median(build.wall).toFixed(1), cpuMedianMs: +median(build.cpu).toFixed(1) });
console.log(JSON.stringify({ shape: { B, T, I, H, ...layers }, rounds, dirs, maxOutputDiff, before: summary(builds.before), after: summary(builds.after), afterOverBefore: +median(ratios).toFixed(3) }));
for (const build of Object.values(builds)) {
  build.runner.dispose();
  await build.backend.close();
}

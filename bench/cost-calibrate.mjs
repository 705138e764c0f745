// The cost model's per-step times, measured: each recurrence path forced at load, the forward
// timed at two sequence lengths, and (t(T_long) − t(T_short)) / (T_long − T_short) taken as the
// time of one step (the input projection's share per step included, small at I = 8). Prints one
// JSON line per (B, H, path) with the cost model's prediction beside the measurement.
//
//   npm run build && node bench/cost-calibrate.mjs [--reps 5] [--shapes 1x8,1x256,...] [--paths sequence,steps,...]
//   (without a GPU: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node bench/cost-calibrate.mjs)
//
// Used for src/gpu/cost-model.ts's kSwiftShaderCosts and by bench/device.mjs on a real GPU.
import { loadDist } from './lib/dist.mjs';

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : process.argv[at + 1];
}
const reps = Number(option('reps', '5'));
const shapes = option('shapes', '1x8,1x256,16x256,1x512,64x512').split(',').map((s) => s.split('x').map(Number));
const paths = option('paths', 'sequence,steps,spread-subgroup,spread-workgroup').split(',');
const [shortT, longT] = option('steps', '5,45').split(',').map(Number);
const inputSize = 8;
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const { lib: { LSTM }, node: { createNodeBackend } } = await loadDist();
const backend = await createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
try {
  for (const [B, H] of shapes) {
    const model = LSTM.random({ inputSize, hiddenSize: H, seed: 5 });
    for (const recurrence of paths) {
      let runner;
      try {
        runner = await backend.load(model, { recurrence });
      } catch (error) {
        console.log(JSON.stringify({ B, H, recurrence, unavailable: /** @type {Error} */ (error).message }));
        continue;
      }
      const plan = runner.plan({ batch: B });
      const time = async (T) => {
        const x = Float64Array.from({ length: T * B * inputSize }, (_, i) => Math.sin(0.37 * i));
        await runner.forward(x, { steps: T, batch: B });
        const times = [];
        for (let r = 0; r < reps; r++) {
          const start = performance.now();
          await runner.forward(x, { steps: T, batch: B });
          times.push(performance.now() - start);
        }
        return median(times);
      };
      const [short, long] = [await time(shortT), await time(longT)];
      const measuredUs = ((long - short) / (longT - shortT)) * 1000;
      const predictedUs = plan.predictions.find((p) => p.kernel === plan.kernel)?.stepUs ?? null;
      console.log(JSON.stringify({ B, H, recurrence, kernel: plan.kernel, measuredUs: +measuredUs.toFixed(1), predictedUs: predictedUs && +predictedUs.toFixed(1), device: plan.device }));
      runner.dispose();
    }
  }
} finally {
  await backend.close();
}

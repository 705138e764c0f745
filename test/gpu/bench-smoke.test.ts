import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const kRoot = resolve(__dirname, '../..');
const kOut = resolve(kRoot, 'test-output/bench-smoke');
const kTrainOut = resolve(kRoot, 'test-output/bench-smoke-train');
const kWasmRows = ['webgpu-lstm/wasm', 'webgpu-lstm/wasm-1t', 'webgpu-lstm/wasm-node', 'webgpu-lstm/wasm-node-1t'];
const kBackends = ['webgpu-lstm/webgpu', 'webgpu-lstm/dawn', ...kWasmRows, 'webgpu-lstm/cpu', 'tfjs/webgpu', 'tfjs/wasm', 'tfjs/cpu', 'ort/webgpu', 'ort/wasm'];
const kTrainBackends = ['webgpu-lstm/webgpu', 'webgpu-lstm/dawn', ...kWasmRows, 'webgpu-lstm/cpu', 'tfjs/webgpu', 'tfjs/wasm', 'tfjs/cpu', 'torch/cpu'];
/** What the PyTorch row says on a machine without a Python that has torch (CI installs none). */
const kNoTorch = /^no Python with torch found/;

interface Row {
  task: string;
  backend: string;
  B: number;
  T: number;
  layers: number;
  bidirectional: boolean;
  status: string;
  median_ms: number;
  min_ms: number;
  max_ms: number;
  gflops: number;
  max_abs_err_vs_cpu: number;
  speedup_of_webgpu_lstm: number | null;
  samples_per_s: number;
  losses: number[] | null;
  max_rel_loss_err_vs_cpu: number | null;
  pct_fma_peak: number | null;
  error: string | null;
}

// The quick bench end to end, as CI runs it: every backend on the tiny shapes, outputs written to
// test-output/ (never over the committed results). A generous budget keeps a loaded machine from
// turning a slow peer into an 'over budget' row. The Dawn rows run Dawn on SwiftShader where the
// machine has no Vulkan driver of its own (the bench sets VK_ICD_FILENAMES then).
describe('npm run bench -- --quick', () => {
  it('--forward: times every backend after checking its output, and writes the JSON, the chart and BENCHMARKS.md', async () => {
    rmSync(kOut, { recursive: true, force: true });
    const { stdout } = await promisify(execFile)('node', ['bench/run.mjs', '--quick', '--forward', '--budget', '150', '--out', kOut], {
      cwd: kRoot,
      maxBuffer: 16 << 20,
      timeout: 280_000,
    });
    expect(stdout).toMatch(/^Adapter: /m);
    expect(stdout).toMatch(/^\[ 1\/24\] \(2,8,8,16\) webgpu-lstm\/webgpu: median /m);

    const result = JSON.parse(readFileSync(resolve(kOut, 'latest.json'), 'utf8'));
    const rows = result.rows as Row[];
    expect(result.adapter.architecture).toBeTypeOf('string');
    expect(Date.parse(result.date)).not.toBeNaN();
    expect(result.roofline.fma.gflops).toBeGreaterThan(0);
    expect(result.roofline.gemm.max_abs_err_sampled).toBeLessThan(1e-3);
    for (const side of ['page', 'node']) {
      expect(result.wasm_roofline[side].fmaGflopsPerThread, `wasm roofline in the ${side}`).toBeGreaterThan(0);
      expect(result.wasm_roofline[side].gemm.gflops).toBeGreaterThan(0);
    }
    // The wasm rows are measured against the wasm roofline of their side.
    for (const row of rows.filter((r) => kWasmRows.includes(r.backend))) expect(row.pct_fma_peak, row.backend).toBeGreaterThan(0);

    expect(rows).toHaveLength(2 * kBackends.length);
    for (const shape of [{ layers: 1, bidirectional: false }, { layers: 2, bidirectional: true }]) {
      const ofShape = rows.filter((r) => r.layers === shape.layers && r.bidirectional === shape.bidirectional);
      expect(ofShape.map((r) => r.backend)).toEqual(kBackends);
      for (const row of ofShape) {
        expect(row.task).toBe('forward');
        expect(row.status, `${row.backend}: ${JSON.stringify(row)}`).toBe('ok');
        expect(Number.isFinite(row.median_ms) && row.median_ms > 0, `${row.backend} median`).toBe(true);
        expect(row.min_ms).toBeLessThanOrEqual(row.median_ms);
        expect(row.max_ms).toBeGreaterThanOrEqual(row.median_ms);
        expect(row.gflops).toBeGreaterThan(0);
        expect(row.max_abs_err_vs_cpu, `${row.backend} vs the CPU reference`).toBeLessThan(1e-3);
        if (row.backend !== 'webgpu-lstm/webgpu') expect(row.speedup_of_webgpu_lstm).toBeGreaterThan(0);
      }
    }
    expect(result.targets.length).toBeGreaterThan(0);

    const svg = readFileSync(resolve(kOut, 'chart.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const backend of kBackends) expect(svg).toContain(`>${backend}</text>`);
    expect(svg).toContain('FMA peak');

    const markdown = readFileSync(resolve(kOut, 'BENCHMARKS.md'), 'utf8');
    expect(markdown).toContain('![GFLOP/s per shape and backend](chart.svg)');
    expect(markdown).toMatch(/^\| ort\/wasm \| /m);
    expect(markdown).toMatch(/^\| webgpu-lstm\/dawn \| /m);
  }, 300_000);

  it('--train: one training step per run on every training backend, after its losses agree with the float64 reference', async () => {
    rmSync(kTrainOut, { recursive: true, force: true });
    const { stdout } = await promisify(execFile)('node', ['bench/run.mjs', '--quick', '--train', '--budget', '150', '--out', kTrainOut], {
      cwd: kRoot,
      maxBuffer: 16 << 20,
      timeout: 110_000,
    });
    expect(stdout).toMatch(/^\[ 1\/11\] \(4,6,3,8\) training step webgpu-lstm\/webgpu: median /m);

    const result = JSON.parse(readFileSync(resolve(kTrainOut, 'latest.json'), 'utf8'));
    expect(result.roofline).toBeNull();
    expect(result.protocol.train.adam.epsilon).toBe(1e-7);
    const rows = result.rows as Row[];
    expect(rows.map((r) => r.backend)).toEqual(kTrainBackends);
    const reference = rows.find((r) => r.backend === 'webgpu-lstm/cpu')!;
    expect(reference.losses).toHaveLength(result.protocol.train.check_steps);
    const torch = rows.find((r) => r.backend === 'torch/cpu')!;
    if (torch.status === 'error') expect(torch.error).toMatch(kNoTorch);
    for (const row of rows.filter((r) => r.status !== 'error' || r.backend !== 'torch/cpu')) {
      expect(row.task).toBe('train');
      expect(row.status, `${row.backend}: ${JSON.stringify(row)}`).toBe('ok');
      expect(Number.isFinite(row.median_ms) && row.median_ms > 0, `${row.backend} median`).toBe(true);
      expect(row.samples_per_s).toBeCloseTo(4 / (row.median_ms / 1000), 6);
      expect(row.gflops).toBeGreaterThan(0);
      // Every library took the same steps from the same weights: its losses are the reference's.
      expect(row.max_rel_loss_err_vs_cpu, `${row.backend} losses vs the CPU reference`).toBeLessThan(1e-3);
      row.losses!.forEach((loss, k) => expect(Math.abs(loss - reference.losses![k]) / reference.losses![k]).toBeLessThan(1e-3));
      if (row.backend !== 'webgpu-lstm/webgpu') expect(row.speedup_of_webgpu_lstm).toBeGreaterThan(0);
    }
    // The losses fall: three Adam steps on one batch.
    expect(reference.losses![2]).toBeLessThan(reference.losses![0]);
    expect(result.targets.map((t: { target: string }) => t.target)).toContain('training step ≥ 10× faster than tfjs/webgpu');

    const markdown = readFileSync(resolve(kTrainOut, 'BENCHMARKS.md'), 'utf8');
    expect(markdown).toContain('## Training protocol');
    expect(markdown).toMatch(/^#### \(4,6,3,8\) training step/m);
    expect(markdown).toMatch(/^\| tfjs\/wasm \| /m);
    expect(readFileSync(resolve(kTrainOut, 'chart.svg'), 'utf8')).toContain('>training step</text>');
  }, 120_000);
});

// The lines that say where a run ran: printed on top of the terminal output and of BENCHMARKS.md.
import { formatNumber } from './format.mjs';

/** @param {{ vendor: string, architecture: string, description?: string, isSoftware: boolean }} adapter */
export function adapterText(adapter) {
  const name = [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ');
  return `${name || 'unknown adapter'}${adapter.isSoftware ? ' (software)' : ''}`;
}

/** The plain warning a software adapter gets. */
export const kSoftwareWarning =
  'WARNING: the WebGPU adapter is a software one (SwiftShader): its "GPU" figures are CPU figures wearing a ' +
  "GPU's API, on the same cores the wasm and cpu backends use. Read the ratios, not the absolute times.";

/** @param {any} result the bench result (see bench.mjs) @returns {string[]} */
export function environmentLines(result) {
  const env = result.environment;
  const lines = [
    `Adapter: ${adapterText(env.adapter)}`,
    `Browser: ${env.browser} (headless), ${env.hardware_concurrency} cores, cross-origin isolated: ${env.cross_origin_isolated}`,
    ...(env.dawn ? [env.dawn.error ? `Dawn in Node: ${env.dawn.error}` : `Dawn in Node (webgpu ${env.dawn.webgpu_package}, ${env.node}): ${adapterText(env.dawn.adapter)}`] : []),
    ...(env.torch ? [env.torch.error ? `PyTorch: ${env.torch.error}` : `PyTorch ${env.torch.version} (${env.torch.python}), float32, ${result.protocol.wasm_threads} threads`] : []),
    `Peers: ${Object.entries(result.peers).map(([name, version]) => `${name} ${version}`).join(', ')}; wasm threads: ${result.protocol.wasm_threads}`,
  ];
  if (env.adapter.isSoftware) lines.push(kSoftwareWarning);
  return lines;
}

/** @param {any} roofline @returns {string[]} */
export function rooflineLines(roofline) {
  if (!roofline) return ['Roofline: not measured (--no-roofline)'];
  const n = roofline.gemm.size;
  const lib = roofline.library_projection;
  const ts = (g) => (g == null ? '' : `, ${formatNumber(g)} by GPU timestamps`);
  return [
    `FMA peak (register-only vec4 FMA loop, bench/page/roofline/fma.wgsl): ${formatNumber(roofline.fma.gflops)} GFLOP/s wall clock${ts(roofline.fma.gflops_gpu_timestamps)}` +
      (roofline.fma_samples_gflops ? ` (best of ${roofline.fma_samples_gflops.map(formatNumber).join(' before and ')} after the shapes)` : ''),
    `GEMM yardstick ${n}×${n}×${n} (register-blocked, bench/page/roofline/gemm-kernel.js, best block ${roofline.gemm.best_block}): ${formatNumber(roofline.gemm.gflops)} GFLOP/s wall clock${ts(roofline.gemm.gflops_gpu_timestamps)}; sampled entries within ${roofline.gemm.max_abs_err_sampled.toExponential(1)}`,
    `webgpu-lstm's input projection on the same ${n}×${n}×${n} product (difference of two forward calls): ${formatNumber(lib.gflops)} GFLOP/s`,
  ];
}

/** @param {{ page: any, node: any } | null} wasm the wasm rooflines (src/wasm/roofline.ts) @returns {string[]} */
export function wasmRooflineLines(wasm) {
  if (!wasm) return [];
  return Object.entries(wasm)
    .filter(([, r]) => r)
    .map(
      ([side, r]) =>
        `wasm roofline in ${side === 'page' ? 'the page' : 'Node'} (${r.build} build): FMA peak (register-only f32x4 loop) ${formatNumber(r.fmaGflopsPerThread)} GFLOP/s per thread, ` +
        `${formatNumber(r.fmaGflops)} on ${r.threads}; GEMM yardstick ${r.gemm.size}³ (the engine's own kernel, ${r.threads} threads) ${formatNumber(r.gemm.gflops)} GFLOP/s`,
    );
}

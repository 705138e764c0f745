// The Node side of the bench: webgpu-lstm on WebGPU through Dawn (the `webgpu` package), timed in
// this process by the same protocol steps as the page (bench/page/host.js).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWebgpuLstm, openWebgpuLstmTrainer } from '../page/backends/webgpu-lstm.js';
import { createBenchHost } from '../page/host.js';

const kDist = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');

/**
 * Makes sure Dawn finds an adapter, and says on which driver: the library itself tries the
 * SwiftShader ICD Chromium ships where the system's Vulkan drivers give Dawn none (dawnGpu).
 * @param {any} node dist/node.js @param {(line: string) => void} log
 */
export async function ensureDawnAdapter(node, log) {
  const gpu = await node.dawnGpu();
  log(`Dawn runs on ${node.dawnDriverOf(gpu)}`);
}

/**
 * Starts Dawn and returns the host for the Dawn rows, its adapter and the `webgpu` package's
 * version; or, when Dawn cannot start, the reason (the rows then report it as their error).
 * @param {{ threads: number }} options @param {(line: string) => void} log
 * @returns {Promise<{ host: ReturnType<typeof createBenchHost>, adapter: any, webgpu: string } | { error: string }>}
 */
export async function openNodeHost(options, log) {
  const node = await import(resolve(kDist, 'node.js'));
  const lib = await import(resolve(kDist, 'index.js'));
  let probe;
  try {
    await ensureDawnAdapter(node, log);
    probe = await node.createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
  } catch (error) {
    return { error: `Dawn could not start: ${error instanceof Error ? error.message : error}` };
  }
  const adapter = probe.adapter;
  await probe.close();
  const dawn = () => node.createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
  const cpu = () => lib.createBackend({ prefer: 'cpu' });
  const host = createBenchHost(
    lib,
    {
      forward: {
        'webgpu-lstm/cpu': (l, workload) => openWebgpuLstm(workload, cpu), // this side's reference output
        'webgpu-lstm/dawn': (l, workload) => openWebgpuLstm(workload, dawn),
      },
      train: { 'webgpu-lstm/dawn': (l, workload) => openWebgpuLstmTrainer(workload, dawn) },
    },
    options,
  );
  const webgpu = JSON.parse(readFileSync(resolve(kDist, '../node_modules/webgpu/package.json'), 'utf8')).version;
  return { host, adapter, webgpu };
}

// The Node side of the bench: webgpu-lstm on WebGPU through Dawn (the `webgpu` package), the wasm
// engine in Node and PyTorch's training step, timed in this process by the same protocol steps as the page (bench/page/host.js).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWebgpuLstm, openWebgpuLstmTrainer } from '../page/backends/webgpu-lstm.js';
import { createBenchHost } from '../page/host.js';
import { openTorchTrainer } from './torch-trainer.mjs';

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
 * The host for the Node rows (Dawn, the wasm engine in Node, PyTorch), Dawn's adapter and the
 * `webgpu` package's version. When Dawn cannot start, its rows report why and the others still run.
 * @param {{ threads: number }} options @param {(line: string) => void} log
 * @returns {Promise<{ host: ReturnType<typeof createBenchHost>, adapter: any, webgpu: string, dawnError: string | null, wasmRoofline: (config: any) => Promise<any> }>}
 */
export async function openNodeHost(options, log) {
  const node = await import(resolve(kDist, 'node.js'));
  const lib = await import(resolve(kDist, 'index.js'));
  let adapter = null;
  let dawnError = null;
  try {
    await ensureDawnAdapter(node, log);
    const probe = await node.createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
    adapter = probe.adapter;
    await probe.close();
  } catch (error) {
    dawnError = `Dawn could not start: ${error instanceof Error ? error.message : error}`;
    log(dawnError);
  }
  const dawn = async () => {
    if (dawnError) throw new Error(dawnError);
    return node.createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
  };
  const cpu = () => lib.createBackend({ prefer: 'cpu' });
  const wasm = (threads) => () => lib.createBackend({ prefer: 'wasm', threads });
  const host = createBenchHost(
    lib,
    {
      forward: {
        'webgpu-lstm/cpu': (l, workload) => openWebgpuLstm(workload, cpu), // this side's reference output
        'webgpu-lstm/dawn': (l, workload) => openWebgpuLstm(workload, dawn),
        'webgpu-lstm/wasm-node': (l, workload, o) => openWebgpuLstm(workload, wasm(o.threads)),
        'webgpu-lstm/wasm-node-1t': (l, workload) => openWebgpuLstm(workload, wasm(1)),
      },
      train: {
        'webgpu-lstm/dawn': (l, workload) => openWebgpuLstmTrainer(workload, dawn),
        'webgpu-lstm/wasm-node': (l, workload, o) => openWebgpuLstmTrainer(workload, wasm(o.threads)),
        'webgpu-lstm/wasm-node-1t': (l, workload) => openWebgpuLstmTrainer(workload, wasm(1)),
        'torch/cpu': (l, workload, o) => openTorchTrainer(l, workload, o),
      },
    },
    options,
  );
  const webgpu = JSON.parse(readFileSync(resolve(kDist, '../node_modules/webgpu/package.json'), 'utf8')).version;
  return { host, adapter, webgpu, dawnError, wasmRoofline: (config) => lib.measureWasmRoofline(config) };
}

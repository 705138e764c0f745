// `webgpu-lstm forecast`: seed 003's forecasting recipe on a CSV column or the monthly US births
// series, a progress bar while it trains, then RMSEs beside the baselines.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createTrainer } from '../api/train/trainer.js';
import { describeValue } from '../core/describe.js';
import { invalidArgument, limitExceeded, LstmError } from '../core/errors.js';
import { CpuTrainingBackend } from '../cpu/training-backend.js';
import { kBirthsPackage, monthlyBirths, type BirthsObservation } from '../forecast/births.js';
import { seriesFromCSV } from '../forecast/csv.js';
import { runForecast, type ForecastRun, type TrainerSource } from '../forecast/forecaster.js';
import { resolveForecastOptions, type ForecastOptions, type RecipeName } from '../forecast/recipe.js';
import { forecastSvg } from '../forecast/svg-plot.js';
import type { TransformKind } from '../forecast/transform.js';
import { modelToJSON } from '../formats/model-json.js';
import type { NodeBackend, NodeRuntime } from '../node/node-backend.js';
import { kCliBackends, noteCpuFallback, openCliBackend, type CliPreference } from './open-backend.js';
import { threadsFlag, type ParsedArgs } from './args.js';
import { kDefaultMaxBytes, plural, type Print } from './commands.js';
import { epochProgress } from './progress-bar.js';

/** The flags of `forecast`, as main.ts registers them (help.ts documents each). */
export const kForecastFlags = [
  'data', 'column', 'window', 'units', 'transform', 'epochs', 'batch-size', 'lr', 'test-fraction', 'season', 'seed',
  'backend', 'threads', 'runtime', 'plot', 'save', 'json', 'recipe',
];

interface Series {
  readonly values: Float64Array;
  /** Names the series in messages and the plot's title. */
  readonly source: string;
  readonly where?: (t: number) => string;
}

/** The monthly births series from the npm package, loaded at run time (the CLI bundle never carries its data). */
function birthsSeries(): Series {
  let dataset: () => BirthsObservation[];
  try {
    dataset = createRequire(import.meta.url)(kBirthsPackage) as () => BirthsObservation[];
  } catch (error) {
    throw new Error(`forecast: without --data the monthly US births series is read from the package ${kBirthsPackage}, which is not installed (${(error as Error).message.split('\n')[0]}); run npm install ${kBirthsPackage}, or give --data FILE.csv`);
  }
  return { values: monthlyBirths(dataset()).values, source: 'the monthly US births series 1969-1988' };
}

function csvSeries(path: string, column: string | undefined): Series {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > kDefaultMaxBytes) throw limitExceeded(`${path}: the file is ${size} bytes, more than ${kDefaultMaxBytes}`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof LstmError) throw error;
    throw invalidArgument(`--data ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const csv = seriesFromCSV(text, { source: path, ...(column !== undefined ? { column } : {}) });
  return { values: csv.values, source: `${path}, column ${JSON.stringify(csv.column)}`, where: (t) => `${path}: row ${csv.rows[t]}` };
}

/** A numeric flag's value, or undefined when absent (ranges are checked by resolveForecastOptions). */
function numeric(args: ParsedArgs, name: string): number | undefined {
  const text = args.flags.get(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw invalidArgument(`forecast: --${name} expects a number, got ${describeValue(text)}`);
  return value;
}

function forecastOptions(args: ParsedArgs): { recipe: RecipeName; options: ForecastOptions } {
  const recipe = (args.flags.get('recipe') ?? 'default') as RecipeName;
  const options = resolveForecastOptions(recipe, {
    window: numeric(args, 'window'),
    units: numeric(args, 'units'),
    transform: args.flags.get('transform') as TransformKind | undefined,
    epochs: numeric(args, 'epochs'),
    batchSize: numeric(args, 'batch-size'),
    lr: numeric(args, 'lr'),
    testFraction: numeric(args, 'test-fraction'),
    season: numeric(args, 'season'),
    seed: numeric(args, 'seed'),
  });
  return { recipe, options };
}

const cpuSource: TrainerSource = { train: (model, options) => createTrainer(model, options, (m, setup) => new CpuTrainingBackend(m, setup)) };

/**
 * Where training runs. cpu: the CPU trainer directly (no GPU code loaded). webgpu, wasm: that
 * backend or an error. auto: the library's 'auto' (WebGPU on a hardware adapter, else the wasm
 * engine), and the CPU where that cannot train; said on stderr.
 */
async function trainerSource(args: ParsedArgs, warn: Print): Promise<{ source: TrainerSource; backend: NodeBackend | null }> {
  const prefer = args.flags.get('backend') ?? 'auto';
  if (!(kCliBackends as readonly string[]).includes(prefer)) throw invalidArgument(`forecast: --backend expects cpu, wasm, webgpu or auto, got ${describeValue(prefer)}`);
  const threads = threadsFlag(args, prefer);
  const runtime = args.flags.get('runtime') ?? 'dawn';
  if (runtime !== 'dawn' && runtime !== 'chromium') throw invalidArgument(`forecast: --runtime expects dawn or chromium, got ${describeValue(runtime)}`);
  if (prefer === 'cpu') return { source: cpuSource, backend: null };
  const backend = await openCliBackend(prefer as CliPreference, runtime as NodeRuntime, warn, threads);
  if (prefer !== 'auto') return { source: backend, backend };
  const source: TrainerSource = {
    train: async (model, options) => {
      try {
        return await backend.train(model, options);
      } catch (error) {
        if (!(error instanceof LstmError) || error.code !== 'BACKEND_UNAVAILABLE') throw error;
        noteCpuFallback(`training on the CPU (float64) because ${error.message}`, warn);
        return cpuSource.train(model, options);
      }
    },
  };
  return { source, backend };
}

/**
 * The four RMSEs at one precision, so that they line up and compare at a glance: as many decimals
 * as give the largest 4 significant digits (1234 · 98.76 → "1234", "99"; 0.1234 · 0.0987 →
 * "0.1234", "0.0987").
 */
export function formatRmses(values: readonly number[]): string[] {
  const largest = Math.max(...values.filter(Number.isFinite).map(Math.abs), 0);
  const decimals = largest > 0 ? Math.min(8, Math.max(0, 3 - Math.floor(Math.log10(largest)))) : 0;
  return values.map((v) => v.toFixed(decimals));
}

/** The verdict in words: which baselines the model beats on the test part. */
export function verdict(run: Pick<ForecastRun, 'testRmse' | 'persistenceRmse' | 'seasonalRmse'>): string {
  const beatsPersistence = run.testRmse < run.persistenceRmse;
  const beatsSeasonal = run.testRmse < run.seasonalRmse;
  if (beatsPersistence && beatsSeasonal) return 'The model beats both baselines on the test part.';
  const lost = [!beatsPersistence && 'persistence', !beatsSeasonal && 'seasonal persistence'].filter(Boolean).join(' nor ');
  return `The model does NOT beat ${lost} on the test part: a naive forecast is as good or better here.`;
}

/** `forecast`: trains seed 003's model on the series, then prints (or writes) what it achieved. */
export async function forecastCommand(args: ParsedArgs, print: Print, warn: Print): Promise<number> {
  const { recipe, options } = forecastOptions(args);
  const dataPath = args.flags.get('data');
  if (args.flags.has('column') && dataPath === undefined) throw invalidArgument('forecast: --column needs --data FILE.csv');
  const series = dataPath === undefined ? birthsSeries() : csvSeries(dataPath, args.flags.get('column'));
  const json = args.flags.has('json');
  const { source, backend } = await trainerSource(args, warn);
  try {
    const bar = await epochProgress(!json && process.stderr.isTTY === true, options.epochs, warn);
    const run = await runForecast(source, series.values, options, {
      source: series.source,
      ...(series.where ? { where: series.where } : {}),
      onEpochEnd: (epoch, logs) => bar.update(epoch + 1, logs.loss, logs.valLoss),
    }).finally(() => bar.stop());
    try {
      return await report(run, { args, recipe, options, source: series.source, json }, print);
    } finally {
      run.trainer.dispose();
    }
  } finally {
    await backend?.close();
  }
}

interface ReportContext {
  readonly args: ParsedArgs;
  readonly recipe: RecipeName;
  readonly options: ForecastOptions;
  readonly source: string;
  readonly json: boolean;
}

/** Writes --save and --plot, then prints the summary (one JSON object with --json). */
async function report(run: ForecastRun, { args, recipe, options, source, json }: ReportContext, print: Print): Promise<number> {
  const save = args.flags.get('save');
  if (save) writeFileSync(save, JSON.stringify(modelToJSON(await run.trainer.model())));
  const plot = args.flags.get('plot');
  if (plot) writeFileSync(plot, forecastSvg(run, `${source}: ${options.transform}, window ${options.window}, ${options.epochs} epochs`));
  const summary = {
    train_rmse: run.trainRmse,
    test_rmse: run.testRmse,
    persistence_rmse: run.persistenceRmse,
    seasonal_rmse: run.seasonalRmse,
    epochs: options.epochs,
    seconds: run.seconds,
    backend: run.backend,
    recipe,
    transform: options.transform,
    seed: options.seed,
  };
  if (json) {
    print(JSON.stringify(summary));
    return 0;
  }
  const { data } = run;
  print(`series: ${source}: ${plural(data.series.length, 'value')}; ${plural(data.train.targets.length, 'training window')}, ${plural(data.test.targets.length, 'test window')} (the test part starts at index ${data.split})`);
  print(`recipe ${recipe}: transform ${options.transform}, window ${options.window}, LSTM(${options.units}) + Dense(1), ${plural(options.epochs, 'epoch')}, batch ${options.batchSize}, Adam lr ${options.lr}, seed ${options.seed}`);
  print(`trained on the ${run.backend === 'cpu' ? 'CPU (float64)' : run.backend === 'wasm' ? 'CPU (the wasm engine, float32)' : 'GPU (WebGPU)'} in ${run.seconds.toFixed(1)} s`);
  const [train, test, persistence, seasonal] = formatRmses([run.trainRmse, run.testRmse, run.persistenceRmse, run.seasonalRmse]);
  print(`RMSE in the series' units: train ${train}, test ${test}`);
  print(`baselines on the same test windows: persistence ${persistence}, seasonal persistence (season ${options.season}) ${seasonal}`);
  print(verdict(run));
  if (save) print(`wrote ${save}`);
  if (plot) print(`wrote ${plot}`);
  return 0;
}

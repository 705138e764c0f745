#!/usr/bin/env node
import { invalidArgument, LstmError } from '../core/errors.js';
import { parseArgs, type ParsedArgs } from './args.js';
import { commandHelp, packageVersion, usageText } from './help.js';
import { infoCommand, runCommand, verifyCommand, type Print } from './commands.js';
import { gradCommand, kGradFlags, kTrainFlags, trainCommand } from './train-commands.js';
import { forecastCommand, kForecastFlags } from './forecast-command.js';
import { benchCommand, kBenchFlags } from './bench-command.js';
import { isOnnxModel } from './lstm-files.js';
import { onnxInfoCommand, runOnnxCommand } from './onnx-commands.js';
import { convertCommand, isForeignModel, kConvertFlags, runSequenceCommand, verifySequenceCommand } from './model-commands.js';

export const kCommands: Record<string, { flags: string[]; run: (args: ParsedArgs, print: Print, warn: Print) => Promise<number> }> = {
  // A Keras / TensorFlow.js model (src/formats/load.ts) takes the sequence-model path (src/cli/model-commands.ts).
  run: { flags: ['model', 'weights', 'from', 'input', 'backend', 'threads', 'out', 'max-bytes', 'trace', 'runtime'], run: (a, p, w) => (isOnnxModel(a) ? runOnnxCommand(a, p, w) : isForeignModel(a) ? runSequenceCommand(a, p, w) : runCommand(a, p, w)) },
  verify: { flags: ['model', 'weights', 'from', 'input', 'backend', 'threads', 'atol', 'rtol', 'max-bytes', 'runtime'], run: (a, p, w) => (isForeignModel(a) ? verifySequenceCommand(a, p, w) : verifyCommand(a, p, w)) },
  convert: { flags: kConvertFlags, run: convertCommand },
  info: { flags: ['runtime', 'model', 'max-bytes'], run: (a, p) => (a.flags.has('model') ? onnxInfoCommand(a, p) : infoCommand(a, p)) },
  grad: { flags: kGradFlags, run: gradCommand },
  train: { flags: kTrainFlags, run: trainCommand },
  forecast: { flags: kForecastFlags, run: forecastCommand },
  bench: { flags: kBenchFlags, run: benchCommand },
};

/** Runs the CLI and returns its exit code: 0 success, 1 verification failed, 2 bad usage or input, 3 other errors. */
export async function main(argv: readonly string[], print: Print = console.log, printError: Print = console.error): Promise<number> {
  try {
    const names = Object.keys(kCommands);
    if (argv[0] === '--version') {
      print(packageVersion());
      return 0;
    }
    // `help COMMAND` and `COMMAND --help` (anywhere among its options) show that command's options.
    const helpFor = argv[0] === 'help' ? argv[1] : argv.includes('--help') || argv.includes('-h') ? argv[0] : undefined;
    if (argv[0] === 'help' && helpFor !== undefined && !Object.hasOwn(kCommands, helpFor)) {
      throw invalidArgument(`help: unknown command ${JSON.stringify(helpFor)}; expected one of ${names.join(', ')}`);
    }
    if (helpFor !== undefined && Object.hasOwn(kCommands, helpFor)) {
      print(commandHelp(helpFor));
      return 0;
    }
    const args = parseArgs(argv, Object.fromEntries(Object.entries(kCommands).map(([name, c]) => [name, c.flags])));
    if (args.command === undefined) {
      print(usageText(names));
      return argv.length === 0 ? 2 : 0;
    }
    return await kCommands[args.command].run(args, print, printError);
  } catch (error) {
    // One readable line, never a stack trace: these are the user's files and flags.
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
    printError(`webgpu-lstm: ${error instanceof LstmError ? `${error.code}: ` : ''}${message}`);
    const usage = error instanceof LstmError && error.code !== 'BACKEND_UNAVAILABLE' && error.code !== 'GPU_ERROR' && error.code !== 'DEVICE_LOST';
    return usage ? 2 : 3;
  }
}

// Run when executed as the bin, not when imported by tests.
if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/webgpu-lstm')) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

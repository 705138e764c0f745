#!/usr/bin/env node
import { LstmError } from '../core/errors.js';
import { parseArgs, type ParsedArgs } from './args.js';
import { infoCommand, runCommand, verifyCommand, type Print } from './commands.js';

const kUsage = `usage: webgpu-lstm <command> [options]

  run     --model M.json --input X.json [--backend cpu|webgpu|auto] [--out R.json] [--max-bytes N] [--trace]
          one forward call; writes output, h_n, c_n, the backend used, the adapter and counters
          --trace: also every gate and state of every step, into the result and as a table on stderr
  verify  --model M.json --input X.json [--atol 1e-5] [--rtol 1e-5] [--max-bytes N]
          WebGPU against the float64 CPU reference; exits 1 outside the tolerance
          --max-bytes: memory budget for each file and what it declares (default 1 GiB)
  info    the WebGPU adapter (runs headless Chromium: $WEBGPU_LSTM_CHROME, $CHROME_PATH or /usr/bin/chromium)`;

const kCommands: Record<string, { flags: string[]; run: (args: ParsedArgs, print: Print, warn: Print) => Promise<number> }> = {
  run: { flags: ['model', 'input', 'backend', 'out', 'max-bytes', 'trace'], run: runCommand },
  verify: { flags: ['model', 'input', 'atol', 'rtol', 'max-bytes'], run: verifyCommand },
  info: { flags: [], run: infoCommand },
};

/** Runs the CLI and returns its exit code: 0 success, 1 verification failed, 2 bad usage or input, 3 other errors. */
export async function main(argv: readonly string[], print: Print = console.log, printError: Print = console.error): Promise<number> {
  try {
    const args = parseArgs(argv, Object.fromEntries(Object.entries(kCommands).map(([name, c]) => [name, c.flags])));
    if (args.command === undefined) {
      print(kUsage);
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

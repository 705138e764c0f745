import { describeValue } from '../core/describe.js';
import { invalidArgument } from '../core/errors.js';

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly flags: ReadonlyMap<string, string>;
}

/** Flags that take no value: present or absent (`run --trace`). A present switch reads as "true". */
export const kSwitches: ReadonlySet<string> = new Set(['trace', 'no-shuffle', 'json']);

/** Commands that take positional arguments, as the flags they stand for: `convert IN OUT`. */
export const kPositionals: Readonly<Record<string, readonly string[]>> = { convert: ['model', 'out'] };

/** What each positional argument is called in usage lines and messages. */
const kPositionalNames: Readonly<Record<string, readonly string[]>> = { convert: ['IN (the model file to read)', 'OUT (the file to write)'] };

/**
 * `command --name value ... --switch ...`; each flag takes exactly one value (a switch none) and
 * must be one the command knows.
 */
export function parseArgs(argv: readonly string[], known: Readonly<Record<string, readonly string[]>>): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { command: undefined, flags: new Map() };
  if (!Object.hasOwn(known, command)) throw invalidArgument(`unknown command ${JSON.stringify(command)}; expected one of ${Object.keys(known).join(', ')}`);
  const flags = new Map<string, string>();
  const positional = [...(kPositionals[command] ?? [])];
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i];
    if (!flag.startsWith('--') && positional.length > 0) {
      flags.set(positional.shift()!, flag);
      i--; // a positional argument is one token
      continue;
    }
    const name = flag.replace(/^--/, '');
    if (!flag.startsWith('--') || !known[command].includes(name)) {
      throw invalidArgument(`${command}: unknown option ${JSON.stringify(flag)}; expected ${known[command].map((f) => `--${f}`).join(', ') || 'none'}`);
    }
    if (kSwitches.has(name)) {
      flags.set(name, 'true');
      i--; // a switch takes no value
      continue;
    }
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('--')) throw invalidArgument(`${command}: ${flag} needs a value`);
    flags.set(name, value);
  }
  return { command, flags };
}

export function requireFlag(args: ParsedArgs, name: string): string {
  const value = args.flags.get(name);
  if (value === undefined) {
    const index = args.command === undefined ? -1 : (kPositionals[args.command]?.indexOf(name) ?? -1);
    if (index >= 0) throw invalidArgument(`${args.command}: ${kPositionalNames[args.command!][index]} is missing; usage: ${args.command} ${kPositionals[args.command!].map((_, k) => kPositionalNames[args.command!][k].split(' ')[0]).join(' ')}`);
    throw invalidArgument(`${args.command}: --${name} is required`);
  }
  return value;
}

export function numberFlag(args: ParsedArgs, name: string, fallback: number): number {
  const text = args.flags.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw invalidArgument(`${args.command}: --${name} expects a non-negative number, got ${describeValue(text)}`);
  return value;
}

/** The wasm engine's thread counts as WasmEngineOptions.threads takes them: 1 to 64, the calling thread included. */
const kMaxThreads = 64;

/** --threads N[,M…] (bench's rows); undefined when absent. */
export function threadCountsFlag(args: ParsedArgs): number[] | undefined {
  const text = args.flags.get('threads');
  if (text === undefined) return undefined;
  const counts = text.split(',').map(Number);
  if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > kMaxThreads)) {
    throw invalidArgument(`${args.command}: --threads expects thread counts from 1 to ${kMaxThreads} (N or N,M), got ${describeValue(text)}`);
  }
  return counts;
}

/**
 * --threads N: the threads of the wasm engine (the calling one included; default the cores
 * available, up to 8). Refused with a backend that has none to set, rather than ignored.
 */
export function threadsFlag(args: ParsedArgs, backend: string): number | undefined {
  const text = args.flags.get('threads');
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > kMaxThreads) {
    throw invalidArgument(`${args.command}: --threads expects an integer from 1 to ${kMaxThreads} (the wasm engine's threads, this one included), got ${describeValue(text)}`);
  }
  if (backend !== 'wasm' && backend !== 'auto') {
    throw invalidArgument(`${args.command}: --threads sets the wasm engine's threads, and --backend ${backend} does not run it (use --backend wasm or auto)`);
  }
  return value;
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

/** The CLI's main() run in this process, with what it prints on stdout and stderr collected. */
export async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (line) => out.push(line), (line) => err.push(line));
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** A fresh temporary folder, and a writer of JSON files into it that returns each file's path. */
export function workFolder(prefix: string): { work: string; file(name: string, value: unknown): string } {
  const work = mkdtempSync(join(tmpdir(), prefix));
  return {
    work,
    file(name, value) {
      const path = join(work, name);
      writeFileSync(path, JSON.stringify(value));
      return path;
    },
  };
}

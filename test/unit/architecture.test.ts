import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The map of docs/architecture.md, enforced: which folder of src/ may import which, no cycles,
// no source file over 300 lines. A folder's allowed imports are listed by hand here, from the
// document, not derived from the code.

const kSrc = resolve(__dirname, '../../src');
const kMaxLines = 300;

/** Folder → the folders it may import from (itself always allowed). */
const kAllowed: Record<string, readonly string[]> = {
  core: [],
  model: ['core'],
  formats: ['core', 'model'],
  cpu: ['core', 'model'],
  gpu: ['core', 'model'],
  // The float32 WebAssembly engine: its host code shares the reference's head, stream and training loop.
  wasm: ['core', 'model', 'cpu'],
  api: ['core', 'model', 'formats', 'cpu', 'gpu', 'wasm'],
  node: ['core', 'model', 'formats', 'cpu', 'gpu', 'api'],
  // Forecasting on the public trainer (windows, scaling, transforms, baselines), shared by the CLI and the demo.
  forecast: ['core', 'model', 'formats', 'api'],
  cli: ['core', 'model', 'formats', 'cpu', 'gpu', 'api', 'node', 'forecast'],
  // The public entry: imports everything, imported by nothing.
  '.': ['core', 'model', 'formats', 'cpu', 'gpu', 'api', 'forecast'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    // The kernels are AssemblyScript, a program of their own compiled to wasm (scripts/build-wasm.mjs).
    if (path === join(kSrc, 'wasm', 'assembly')) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Static imports and re-exports of our own modules (type-only `import('…')` expressions excluded). */
function localImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => m[1]);
  return specs
    .filter((spec) => !spec.includes('.wgsl'))
    .map((spec) => resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
}

function folderOf(file: string): string {
  const rel = relative(kSrc, file);
  return rel.includes('/') ? rel.split('/')[0] : '.';
}

const files = sourceFiles(kSrc);
const graph = new Map(files.map((file) => [file, localImports(file)]));

describe('architecture', () => {
  it('every folder imports only from the folders below it', () => {
    const violations: string[] = [];
    for (const [file, imports] of graph) {
      const from = folderOf(file);
      const allowed = kAllowed[from];
      expect(allowed, `${relative(kSrc, file)}: folder ${from} is not on the map`).toBeDefined();
      for (const target of imports) {
        const to = folderOf(target);
        if (to !== from && !allowed.includes(to)) violations.push(`${relative(kSrc, file)} → ${relative(kSrc, target)}`);
        if (target === join(kSrc, 'index.ts')) violations.push(`${relative(kSrc, file)} imports the front door`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(kSrc, f)).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it(`has no source file over ${kMaxLines} lines`, () => {
    const long = files
      .map((file) => ({ file: relative(kSrc, file), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter((entry) => entry.lines > kMaxLines);
    expect(long).toEqual([]);
  });

  it('resolves every local import to a file that exists', () => {
    const missing = [...graph].flatMap(([file, imports]) => imports.filter((t) => !graph.has(t)).map((t) => `${relative(kSrc, file)} → ${relative(kSrc, t)}`));
    expect(missing).toEqual([]);
  });
});

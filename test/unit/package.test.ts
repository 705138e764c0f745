import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));

/** dist/index.js and every chunk it imports (statically or dynamically): what a browser app bundles. */
function browserBundle(): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    const code = readFileSync(resolve(root, 'dist', file), 'utf8');
    files.set(file, code);
    for (const [, chunk] of code.matchAll(/(?:from|import)\s*\(?\s*"\.\/([^"]+)"/g)) visit(chunk);
  };
  visit('index.js');
  return files;
}

// The built package (vitest's global setup builds dist/) is what users install.
describe('the built package', () => {
  it('has every file its exports map and bin name', () => {
    for (const entry of Object.values(pkg.exports) as (string | { import: string })[]) {
      if (typeof entry === 'string') continue;
      expect(existsSync(resolve(root, entry.import)), entry.import).toBe(true);
    }
    expect(readFileSync(resolve(root, pkg.bin['webgpu-lstm']), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('carries the WGSL kernels inside the bundle, so users never need the source tree', () => {
    const bundle = [...browserBundle().values()].join('\n');
    for (const file of ['activations', 'input_projection', 'lstm_step']) {
      const firstFunction = readFileSync(resolve(root, 'shaders', `${file}.wgsl`), 'utf8').match(/fn \w+/)![0];
      expect(bundle, file).toContain(firstFunction);
    }
  });

  it('keeps Node-only code out of the browser bundle and every chunk it imports', () => {
    const bundle = browserBundle();
    // No import (static or dynamic) of Node's modules, puppeteer-core or Dawn's `webgpu` package.
    // Code only: a bundled dependency's doc comment may show `require(...)` as usage.
    const withoutComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const [file, code] of bundle) expect(withoutComments(code), file).not.toMatch(/(?:from|import)\s*\(?\s*["'](?:node:|puppeteer|webgpu["'])|puppeteer|\brequire\(/);
    expect(bundle.size).toBeGreaterThan(1);
  });
});

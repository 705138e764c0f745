import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));

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
    const bundle = readFileSync(resolve(root, 'dist/index.js'), 'utf8');
    for (const file of ['activations', 'input_projection', 'lstm_step']) {
      const firstFunction = readFileSync(resolve(root, 'shaders', `${file}.wgsl`), 'utf8').match(/fn \w+/)![0];
      expect(bundle, file).toContain(firstFunction);
    }
  });

  it('keeps Node-only code out of the browser bundle and every chunk it imports', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(resolve(root, 'dist', file), 'utf8');
      // No import (static or dynamic) of Node's modules, puppeteer-core or Dawn's `webgpu` package.
      expect(code, file).not.toMatch(/(?:from|import)\s*\(?\s*["'](?:node:|puppeteer|webgpu["'])|puppeteer|\brequire\(/);
      for (const [, chunk] of code.matchAll(/(?:from|import)\s*\(?\s*"\.\/([^"]+)"/g)) visit(chunk);
    };
    visit('index.js');
    expect(seen.size).toBeGreaterThan(1);
  });
});

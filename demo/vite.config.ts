import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The demo is a Vite app of its own, rooted in demo/. It reaches the library only through the
// package name, aliased to the source entry so that the dev server also reloads library edits.
const fromHere = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The headers that make a page cross-origin isolated (README, "Without a GPU: the wasm engine"). */
const kIsolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: fromHere('.'),
  // Relative asset URLs, so the built site works from any folder of any static server.
  base: './',
  resolve: {
    // An exact match only: 'webgpu-lstm/node' drives Chromium from Node and must never reach the page.
    alias: [{ find: /^webgpu-lstm$/, replacement: fromHere('../src/index.ts') }],
  },
  // Cross-origin isolated, so the race's wasm lane runs on every core (threads need SharedArrayBuffer).
  server: { host: 'localhost', headers: kIsolation },
  preview: { host: 'localhost', headers: kIsolation },
  // The race's CPU side runs in a module worker that imports the library like the page does.
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});

import { defineConfig } from 'vite';

// The library build: the browser bundle (index), the Node helpers that drive headless Chromium
// (node) and the CLI (cli), as ES modules in dist/. WGSL is inlined through `?raw` imports.
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    minify: false,
    sourcemap: true,
    lib: {
      entry: { index: 'src/index.ts', node: 'src/node/index.ts', cli: 'src/cli/main.ts' },
      formats: ['es'],
    },
    rollupOptions: {
      // Node-only packages stay imports: puppeteer-core for headless Chromium, webgpu (Dawn) loaded on first use,
      // cli-progress (the forecast command's progress bar; CommonJS that needs Node's events and readline).
      // h5wasm (HDF5: 4 MB of wasm, imported on first use) stays an import too. fflate (zip) and
      // protobufjs (ONNX), small pure JavaScript the formats import statically, are bundled: the
      // headless-Chromium runtime loads dist/index.js into a plain page, which resolves no bare
      // module names.
      external: [/^node:/, 'puppeteer-core', 'webgpu', 'cli-progress', 'h5wasm'],
      output: { chunkFileNames: '[name]-[hash].js' },
    },
  },
});

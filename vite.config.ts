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
      // The optional peer dependencies stay imports, each loaded on first use: puppeteer-core
      // (headless Chromium), webgpu (Dawn), h5wasm (HDF5: 4 MB of wasm) and cli-progress (the
      // forecast command's bar; CommonJS that requires Node's builtins, which an ES bundle cannot
      // do). fflate (zip), protobufjs (ONNX) and papaparse (CSV) are bundled: the
      // browser bundle imports them, and the headless-Chromium runtime loads dist/index.js into a
      // plain page, which resolves no bare module names.
      external: [/^node:/, 'puppeteer-core', 'webgpu', 'h5wasm', 'cli-progress'],
      output: { chunkFileNames: '[name]-[hash].js' },
    },
  },
});

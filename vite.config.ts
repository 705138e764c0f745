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
      // h5wasm (HDF5, imported on first use) and fflate (zip) are dependencies: imports, not copies.
      // protobufjs (ONNX files) likewise.
      external: [/^node:/, 'puppeteer-core', 'webgpu', 'cli-progress', 'h5wasm', 'fflate', /^protobufjs/],
      output: { chunkFileNames: '[name]-[hash].js' },
    },
  },
});

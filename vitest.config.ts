import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ once before any test, so browser tests always load the current library.
    // Sets XDG_RUNTIME_DIR where it is missing, so Dawn's starts print nothing (test/support/quiet-dawn.ts).
    globalSetup: ['test/support/quiet-dawn.ts', 'test/support/build-once.ts'],
    // Browser tests each start a Chromium; on a 2-core machine one file at a time is fastest.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});

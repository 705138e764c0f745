import type { PuppeteerNode } from 'puppeteer-core';
import { LstmError } from '../../core/errors.js';

/** The package range the library is tested with (package.json's optional peer dependency). */
export const kPuppeteerPackage = 'puppeteer-core@^24.43.1';

let loading: Promise<PuppeteerNode> | undefined;

/**
 * Imports puppeteer-core on first use (never at import time of this library, so a browser build, a
 * CPU user or a Dawn user never needs it installed). Rejects with BACKEND_UNAVAILABLE naming the
 * package and the install command when the optional peer dependency is missing.
 */
export function loadPuppeteer(): Promise<PuppeteerNode> {
  loading ??= importPuppeteer();
  return loading;
}

async function importPuppeteer(): Promise<PuppeteerNode> {
  try {
    return (await import('puppeteer-core')).default;
  } catch (error) {
    loading = undefined; // installing it later in the same process may still work
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ERR_MODULE_NOT_FOUND' && /'puppeteer-core'/.test(e.message)) {
      throw new LstmError(
        'BACKEND_UNAVAILABLE',
        `the headless Chromium runtime needs the optional peer dependency \`puppeteer-core\`, which is not installed (npm install ${kPuppeteerPackage})`,
      );
    }
    throw new LstmError('BACKEND_UNAVAILABLE', `puppeteer-core could not load: ${e.message}`);
  }
}

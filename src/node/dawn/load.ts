import { LstmError } from '../../core/errors.js';

/** The part of the `webgpu` package (Dawn's Node bindings) the library uses. */
export interface DawnModule {
  /** Creates a Dawn instance; `flags` are Dawn's `name=value` options (e.g. `backend=vulkan`). */
  create(flags: string[]): GPU;
}

/** The package range the library is tested with (package.json's optional peer dependency). */
export const kDawnPackage = 'webgpu@^0.6.2';

let loading: Promise<DawnModule> | undefined;

/**
 * Imports Dawn's Node bindings on first use (never at import time of this library, so a browser
 * build or a Node user who never asks for Dawn never loads them). Rejects with BACKEND_UNAVAILABLE
 * when the optional `webgpu` package is not installed or its native module cannot load here.
 */
export function loadDawn(): Promise<DawnModule> {
  loading ??= importDawn();
  return loading;
}

async function importDawn(): Promise<DawnModule> {
  try {
    // A dynamic import of an external (vite.config.ts): loaded on the first call, never at start-up.
    return (await import('webgpu')) as DawnModule;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ERR_MODULE_NOT_FOUND' && /'webgpu'/.test(e.message)) {
      throw new LstmError('BACKEND_UNAVAILABLE', `Dawn's Node bindings are not installed: the optional peer dependency \`webgpu\` is missing (npm install ${kDawnPackage})`);
    }
    throw new LstmError('BACKEND_UNAVAILABLE', `Dawn's native module (the \`webgpu\` package) could not load on ${process.platform}-${process.arch}: ${e.message}`);
  }
}


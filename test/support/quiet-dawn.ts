import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: the environment Dawn wants, so a green test log holds no error lines. Dawn's
 * Vulkan WSI code prints "error: XDG_RUNTIME_DIR is invalid or not set in the environment." twice
 * at every start when the variable names no private folder (CI runners and containers have no login
 * session that sets it); compute never needs it, so a private, empty folder for the test run serves.
 * Set here, in the main process, before any worker or child starts: all of them inherit it.
 */
export default function setup(): void {
  if (validRuntimeDir(process.env.XDG_RUNTIME_DIR)) return;
  process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'webgpu-lstm-xdg-')); // mode 0700, as the spec asks
}

function validRuntimeDir(path: string | undefined): boolean {
  if (!path) return false;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

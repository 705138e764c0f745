import { existsSync } from 'node:fs';
import { LstmError } from '../../core/errors.js';

/** Environment variables that point at a Chrome or Chromium binary, in the order they are read. */
export const kChromeEnvVars = ['WEBGPU_LSTM_CHROME', 'CHROME_PATH'] as const;
export const kDefaultChrome = '/usr/bin/chromium';

/**
 * The browser the WebGPU backend runs in from Node: $WEBGPU_LSTM_CHROME, else $CHROME_PATH, else
 * Debian's /usr/bin/chromium. A missing browser is an error that says how to get one — never a
 * silent CPU run.
 */
export function findChrome(env: NodeJS.ProcessEnv = process.env): string {
  for (const name of kChromeEnvVars) {
    const path = env[name];
    if (!path) continue;
    if (!existsSync(path)) {
      throw new LstmError('BACKEND_UNAVAILABLE', `${name}=${path}: no such file; point it at a Chrome or Chromium binary`);
    }
    return path;
  }
  if (existsSync(kDefaultChrome)) return kDefaultChrome;
  throw new LstmError(
    'BACKEND_UNAVAILABLE',
    `no Chromium found at ${kDefaultChrome}: the webgpu backend runs in headless Chromium from Node. ` +
      'Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROME_PATH to a Chrome or Chromium binary.',
  );
}

/**
 * Flags for headless WebGPU. Without a GPU, Chromium's SwiftShader adapter serves WebGPU only with
 * --enable-unsafe-swiftshader; the networking flags keep a closed network from stalling start-up.
 */
export function chromeArgs(userDataDir: string): string[] {
  return [
    '--no-sandbox',
    '--enable-unsafe-webgpu',
    '--enable-unsafe-swiftshader',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${userDataDir}`,
  ];
}

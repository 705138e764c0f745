// Brings a fresh checkout to a runnable state, using only Node's standard library (it runs before
// `npm ci`): installs the npm dependencies when they are missing or stale, and makes sure a
// Chromium is there for the WebGPU backend — installed from Debian's packages where possible,
// otherwise named in a message that says how to point at another Chrome.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

function ensureDependencies() {
  const installed = `${root}node_modules/.package-lock.json`;
  const lock = `${root}package-lock.json`;
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('setup: installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

function configuredChrome() {
  for (const name of ['WEBGPU_LSTM_CHROME', 'CHROME_PATH']) {
    const path = process.env[name];
    if (!path) continue;
    if (existsSync(path)) return path;
    throw new Error(`${name}=${path}: no such file; point it at a Chrome or Chromium binary`);
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null;
}

function ensureChromium() {
  if (configuredChrome()) return;
  const isRoot = process.getuid?.() === 0;
  if (has('apt-get') && (isRoot || has('sudo'))) {
    console.log("setup: installing Chromium from Debian's packages (apt-get install chromium)");
    const prefix = isRoot ? [] : ['sudo', '-n'];
    const apt = (...args) => run(prefix[0] ?? 'apt-get', [...prefix.slice(1), ...(isRoot ? [] : ['apt-get']), ...args]);
    apt('update', '-qq');
    apt('install', '-y', '-qq', 'chromium');
    if (configuredChrome()) return;
  }
  throw new Error(
    'no Chromium found at /usr/bin/chromium and it could not be installed here. The WebGPU backend and the ' +
      'GPU tests run in headless Chromium: install it (Debian/Ubuntu: sudo apt-get install -y chromium) ' +
      'or set CHROME_PATH to a Chrome or Chromium binary with WebGPU.',
  );
}

try {
  ensureDependencies();
  ensureChromium();
} catch (error) {
  console.error(`setup: ${error.message}`);
  process.exit(1);
}

// Brings a fresh checkout to a runnable state, using only Node's standard library (it runs before
// `npm ci`): installs the npm dependencies when they are missing or stale, and makes sure a
// Chromium (the WebGPU backend in a page) and the Vulkan loader (Dawn, WebGPU in Node) are there —
// installed from Debian's packages where possible,
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

/** Installs Debian packages as root or through passwordless sudo; false where neither works. */
function aptInstall(why, ...packages) {
  const isRoot = process.getuid?.() === 0;
  if (!has('apt-get') || !(isRoot || has('sudo'))) return false;
  console.log(`setup: installing ${why} from Debian's packages (apt-get install ${packages.join(' ')})`);
  const apt = (...args) => (isRoot ? run('apt-get', args) : run('sudo', ['-n', 'apt-get', ...args]));
  apt('update', '-qq');
  apt('install', '-y', '-qq', ...packages);
  return true;
}

function ensureChromium() {
  if (configuredChrome()) return;
  if (aptInstall('Chromium', 'chromium') && configuredChrome()) return;
  throw new Error(
    'no Chromium found at /usr/bin/chromium and it could not be installed here. The WebGPU backend and the ' +
      'GPU tests run in headless Chromium: install it (Debian/Ubuntu: sudo apt-get install -y chromium) ' +
      'or set CHROME_PATH to a Chrome or Chromium binary with WebGPU.',
  );
}

/** Dawn (the `webgpu` package, the Node runtime and test/dawn) loads the system's libvulkan.so.1. */
function ensureVulkanLoader() {
  const hasLoader = () => spawnSync('sh', ['-c', 'ldconfig -p | grep -q "libvulkan\\.so\\.1"'], { stdio: 'ignore' }).status === 0;
  if (hasLoader()) return;
  if (aptInstall('the Vulkan loader for Dawn', 'libvulkan1') && hasLoader()) return;
  throw new Error(
    'the Vulkan loader (libvulkan.so.1) is missing and could not be installed here. Dawn, the Node WebGPU runtime the ' +
      'tests use, needs it: install it (Debian/Ubuntu: sudo apt-get install -y libvulkan1).',
  );
}

try {
  ensureDependencies();
  ensureChromium();
  ensureVulkanLoader();
} catch (error) {
  console.error(`setup: ${error.message}`);
  process.exit(1);
}

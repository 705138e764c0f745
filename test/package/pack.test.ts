import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../../src/node/chromium/browser-session.js';
import { kTorchCasesDir } from '../support/fixtures.js';

// The package as a user gets it: `npm pack`, then the tarball installed (npm's cache first, the
// registry only for what the cache lacks) into a fresh Vite + TypeScript app and a fresh Node
// project. The app is type-checked with skipLibCheck false and true, built, and its page run in
// headless Chromium on WebGPU; the Node script runs on the CPU with the library installed alone.

const root = resolve(__dirname, '../..');
const kConsumers = join(__dirname, 'consumers');
const seed004Path = join(kTorchCasesDir, 'seed004_scalar.json');
// Seed 004's hidden states, from its printed table (hand-derived, not from this library).
const kSeed004Hidden = ['0.2564', '0.6398', '0.8707'];

/** The TypeScript 7 release the consumer app is also type-checked with. */
const kTypeScript7 = '7.0.2';

const work = mkdtempSync(join(tmpdir(), 'webgpu-lstm-pack-'));
let tarball = '';

async function sh(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, args, { cwd, maxBuffer: 1 << 26, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

const install = (cwd: string, ...specs: string[]) => sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...specs], cwd);
const version = (name: string) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version as string;

function bytesUnder(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + bytesUnder(join(path, name)), 0);
}

/** A fresh project folder: package.json plus the template files of `consumers/<template>`. */
function project(name: string, template: string): string {
  const dir = join(work, name);
  cpSync(join(kConsumers, template), dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }, null, 2));
  return dir;
}

beforeAll(async () => {
  // npm pack runs prepack (`npm run build`), which empties dist/. A staged copy of the sources keeps
  // the dist/ that other tests load untouched; node_modules is linked, not copied.
  const stage = join(work, 'stage');
  mkdirSync(stage);
  for (const entry of ['src', 'shaders', 'docs', 'scripts', 'package.json', 'README.md', 'BENCHMARKS.md', 'LICENSE', 'vite.config.ts', 'tsconfig.json', 'tsconfig.build.json']) {
    try {
      cpSync(join(root, entry), join(stage, entry), { recursive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'));
  const stdout = await sh('npm', ['pack', '--json', '--pack-destination', work], stage);
  // The build's own output (prepack) comes first; npm's JSON report is the array at the end.
  const [packed] = JSON.parse(stdout.slice(stdout.search(/^\[$/m))) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  tarball = join(work, packed.filename);
  console.log(`tarball ${packed.filename}: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${packed.files.length} files`);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('declares puppeteer-core and webgpu as optional peers only, and references @webgpu/types from its declarations', async () => {
    const listing = await sh('tar', ['-tzf', tarball], work);
    const files = listing.trim().split('\n');
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/types/index.d.ts');
    expect(files.filter((f) => /^package\/(src|test|bench|node_modules)\//.test(f))).toEqual([]);
    const manifest = JSON.parse(await sh('tar', ['-xzOf', tarball, 'package/package.json'], work));
    expect(Object.keys(manifest.dependencies)).toEqual(['@webgpu/types']);
    expect(manifest.peerDependenciesMeta).toEqual({ 'cli-progress': { optional: true }, h5wasm: { optional: true }, 'puppeteer-core': { optional: true }, webgpu: { optional: true } });
    const declarations = await sh('tar', ['-xzOf', tarball, 'package/dist/types/index.d.ts'], work);
    expect(declarations.split('\n')[0]).toBe('/// <reference types="@webgpu/types" preserve="true" />');
    // TypeScript 7's DOM lib declares WebGPU: its entry points leave the reference out.
    expect(manifest.exports['.']['types@>=7']).toBe('./dist/types/index.dom.d.ts');
    expect(manifest.exports['./node']['types@>=7']).toBe('./dist/types/node/index.dom.d.ts');
    const domDeclarations = await sh('tar', ['-xzOf', tarball, 'package/dist/types/index.dom.d.ts'], work);
    expect(domDeclarations).not.toContain('@webgpu/types');
    expect(domDeclarations.split('\n').slice(1)).toEqual(declarations.split('\n').slice(1));
  });
});

describe('a fresh Vite + TypeScript app', () => {
  let app = '';

  beforeAll(async () => {
    app = project('browser-app', 'browser-app');
    mkdirSync(join(app, 'public'));
    cpSync(seed004Path, join(app, 'public/seed004.json'));
    await install(app, tarball);
    // TypeScript 5.x (the project's own) and 7 (what `npm install -D typescript` gives since 7.0),
    // side by side: the second under an alias, each compiler run by its path.
    await install(app, '--save-dev', `vite@${version('vite')}`, `typescript@${version('typescript')}`, `typescript7@npm:typescript@${kTypeScript7}`);
  }, 300_000);

  it('installs the library alone: webgpu-lstm and @webgpu/types, no browser driver', async () => {
    type Tree = Record<string, { version?: string; dependencies?: Tree }>;
    const tree = JSON.parse(await sh('npm', ['ls', '--all', '--omit=dev', '--json'], app)) as { dependencies: Tree };
    // Optional peers that are not installed appear without a version.
    const names = (deps: Tree = {}): string[] => Object.entries(deps).flatMap(([name, d]) => (d.version ? [name, ...names(d.dependencies)] : []));
    expect(names(tree.dependencies).sort()).toEqual(['@webgpu/types', 'webgpu-lstm']);
    const libraryBytes = bytesUnder(join(app, 'node_modules/webgpu-lstm')) + bytesUnder(join(app, 'node_modules/@webgpu/types'));
    const allPackages = (await sh('npm', ['ls', '--all', '--parseable'], app)).trim().split('\n').length - 1;
    console.log(`browser app: the library installs 2 packages, ${libraryBytes} bytes; with vite and typescript: ${allPackages} packages, ${bytesUnder(join(app, 'node_modules'))} bytes`);
  });

  // The matrix the README promises: both compilers, skipLibCheck false and true, 0 errors each.
  it.each([
    ['typescript', false],
    ['typescript', true],
    ['typescript7', false],
    ['typescript7', true],
  ] as const)('type-checks with %s, skipLibCheck %s (backend.device is a GPUDevice, not any)', async (compiler, skipLibCheck) => {
    const tsc = join(app, 'node_modules', compiler, 'bin/tsc');
    const compilerVersion = (await sh('node', [tsc, '--version'], app)).trim();
    let errors = 0;
    try {
      await sh('node', [tsc, '-p', '.', '--skipLibCheck', String(skipLibCheck)], app);
    } catch (error) {
      errors = ((error as Error).message.match(/error TS\d+/g) ?? []).length;
      console.log((error as Error).message.slice(0, 2000));
    }
    console.log(`type-check matrix: ${compilerVersion}, skipLibCheck ${skipLibCheck}: ${errors} errors`);
    expect(errors).toBe(0);
  });

  it('builds, and its page runs seed 004 on WebGPU and on the wasm engine (threaded: the page is cross-origin isolated) in headless Chromium', async () => {
    await sh(join(app, 'node_modules/.bin/vite'), ['build', '--base', './', '--logLevel', 'warn'], app);
    const session = await BrowserSession.open({ libraryDir: join(app, 'node_modules/webgpu-lstm/dist'), routes: { '/app/': join(app, 'dist') } });
    try {
      await session.goto('/app/index.html');
      await session.page.waitForFunction('window.consumerResult !== undefined', { timeout: 120_000 });
      const result = (await session.page.evaluate('window.consumerResult')) as {
        kind: string;
        output: number[];
        maxStorageBufferBindingSize: number;
        wasm: { kind: string; reason: string; output: number[] };
      };
      expect(result).toMatchObject({ kind: 'webgpu', maxStorageBufferBindingSize: expect.any(Number) });
      expect(result.output.map((v) => v.toFixed(4))).toEqual(kSeed004Hidden);
      console.log(`browser app: wasm: ${result.wasm.reason}`);
      expect(result.wasm.kind).toBe('wasm');
      expect(result.wasm.reason).not.toMatch(/not cross-origin isolated/);
      expect(result.wasm.reason).toMatch(/\d+ threads?/);
      expect(result.wasm.output.map((v) => v.toFixed(4))).toEqual(kSeed004Hidden);
      expect(session.consoleErrors).toEqual([]);
      const assets = join(app, 'dist/assets');
      const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'));
      const gzipped = scripts.reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f))).length, 0);
      console.log(`browser app bundle: ${scripts.length} script(s), ${bytesUnder(assets)} bytes, ${gzipped} bytes gzipped`);
    } finally {
      await session.close();
    }
  });
});

describe('a fresh Node project', () => {
  let dir = '';

  beforeAll(async () => {
    dir = project('node-project', 'node-project');
    await install(dir, tarball);
  }, 300_000);

  it('runs on the CPU and on the wasm engine without puppeteer-core or webgpu installed, and names the missing package for Chromium', async () => {
    expect(readdirSync(join(dir, 'node_modules')).sort()).toEqual(['.bin', '.package-lock.json', '@webgpu', 'webgpu-lstm']);
    const report = JSON.parse(await sh('node', ['main.mjs', seed004Path], dir));
    console.log(`node project: backend.kind ${report.kind}; wasm: ${report.wasm.reason}`);
    expect(report.kind).toBe('cpu');
    expect(report.output.map((v: number) => v.toFixed(4))).toEqual(kSeed004Hidden);
    expect(report.wasm.kind).toBe('wasm');
    expect(report.wasm.output.map((v: number) => v.toFixed(4))).toEqual(kSeed004Hidden);
    expect(report.chromium).toEqual({
      code: 'BACKEND_UNAVAILABLE',
      message: expect.stringContaining('the optional peer dependency `puppeteer-core`, which is not installed (npm install puppeteer-core@^24.43.1)'),
    });
  });

  it('has the webgpu-lstm command: --version, and run on one case file', async () => {
    const bin = join(dir, 'node_modules/.bin/webgpu-lstm');
    expect((await sh(bin, ['--version'], dir)).trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    const result = JSON.parse(await sh(bin, ['run', '--backend', 'cpu', '--model', seed004Path], dir));
    expect(result.output.data.map((v: number) => v.toFixed(4))).toEqual(kSeed004Hidden);
  });
});

import './dawn-env.js';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/api/backend.js';
import { compareResults, kDefaultTolerance } from '../../src/api/compare.js';
import { dawnGpu } from '../../src/node/dawn/gpu.js';
import { createNodeBackend } from '../../src/node/node-backend.js';
import { randomCase } from '../support/random-case.js';
import { dawnEnv, kRepoRoot, systemDriverServesDawn } from './dawn-env.js';

const kDist = join(kRepoRoot, 'dist');
const work = mkdtempSync(join(tmpdir(), 'webgpu-lstm-dawn-'));

/** Runs a script against the built `webgpu-lstm/node` in a child with `env` (undefined: unset), and returns what it printed. */
async function inChild(script: string, env: Record<string, string | undefined>): Promise<string> {
  const file = join(work, `child-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, `import * as node from ${JSON.stringify(join(kDist, 'node.js'))};\n${script}`);
  const childEnv = dawnEnv();
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  const { stdout } = await promisify(execFile)(process.execPath, [file], { env: childEnv, cwd: kRepoRoot });
  return stdout.trim();
}

const kOpenDawn = `
try {
  const backend = await node.createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' });
  console.log(JSON.stringify({ ok: backend.adapter.architecture }));
} catch (e) {
  console.log(JSON.stringify({ code: e.code, message: e.message }));
}`;

describe("createNodeBackend: the runtime, and why", () => {
  it("'auto' takes Dawn where it finds an adapter, and says so", async () => {
    const backend = await createNodeBackend({ prefer: 'webgpu' });
    await backend.close();
    expect(backend.runtime).toBe('dawn');
    expect(backend.browser).toBeNull();
    expect(backend.reason).toMatch(/^the WebGPU backend was requested; runtime auto: Dawn found an adapter in this process on (the Vulkan driver named by VK_ICD_FILENAMES=\S+|the system's Vulkan driver), ".+"$/);
  });

  it("'chromium' runs the same model in headless Chromium, with results that agree with Dawn's", async () => {
    const { model, x, options } = randomCase({ inputSize: 5, hiddenSize: 7, numLayers: 2, steps: 6, batch: 3, seed: 2 });
    const [dawn, chromium] = [await createNodeBackend({ prefer: 'webgpu', runtime: 'dawn' }), await createNodeBackend({ prefer: 'webgpu', runtime: 'chromium', chromium: { libraryDir: kDist } })];
    try {
      expect(chromium.runtime).toBe('chromium');
      expect(chromium.browser).toMatch(/Chrome/);
      expect(chromium.reason).toBe("the WebGPU backend was requested; runtime 'chromium' was requested");
      const [a, b] = await Promise.all([dawn, chromium].map(async (backend) => (await backend.load(model)).forward(x, options)));
      expect(b.stats).toEqual(a.stats);
      expect(compareResults(model.config, a, b, kDefaultTolerance).passed).toBe(true);
    } finally {
      await Promise.all([dawn.close(), chromium.close()]);
    }
  });

  it("'auto' over Chromium when Dawn cannot start, and over the wasm engine when neither can, saying why each time", async () => {
    const noDriver = { VK_ICD_FILENAMES: '/nonexistent/icd.json' };
    const viaChromium = JSON.parse(await inChild(`const b = await node.createNodeBackend({ prefer: 'webgpu' }); await b.close(); console.log(JSON.stringify({ runtime: b.runtime, reason: b.reason }));`, noDriver));
    expect(viaChromium.runtime).toBe('chromium');
    expect(viaChromium.reason).toMatch(/^the WebGPU backend was requested; runtime auto: Dawn is unavailable \(Dawn found no WebGPU adapter: VK_ICD_FILENAMES names files that do not exist: \/nonexistent\/icd.json;.*\), so headless Chromium runs it \(.*Chrome.*\)$/);
    const neither = { ...noDriver, CHROME_PATH: '/nonexistent/chrome', WEBGPU_LSTM_CHROME: '' };
    const cpu = JSON.parse(await inChild(`const b = await node.createNodeBackend(); console.log(JSON.stringify({ kind: b.kind, runtime: b.runtime, reason: b.reason }));`, neither));
    expect(cpu.kind).toBe('wasm');
    expect(cpu.runtime).toBeNull();
    expect(cpu.reason).toMatch(/^auto: the wasm engine, because Dawn is unavailable \(.*VK_ICD_FILENAMES.*\); Chromium is unavailable \(CHROME_PATH=\/nonexistent\/chrome: no such file.*\); \d+ threads? \(.*\), \w+ build$/);
  });

  it('a bad runtime is an INVALID_ARGUMENT naming it', async () => {
    await expect(createNodeBackend({ runtime: 'gpu' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: "runtime: expected 'dawn', 'chromium' or 'auto', got \"gpu\"" });
  });
});

describe('what Dawn lacks is a BACKEND_UNAVAILABLE saying what is missing and how to install it', () => {
  it('a missing Vulkan driver (VK_ICD_FILENAMES naming no file)', async () => {
    const outcome = JSON.parse(await inChild(kOpenDawn, { VK_ICD_FILENAMES: '/nonexistent/icd.json' }));
    expect(outcome.code).toBe('BACKEND_UNAVAILABLE');
    expect(outcome.message).toContain('Dawn found no WebGPU adapter: VK_ICD_FILENAMES names files that do not exist: /nonexistent/icd.json');
    expect(outcome.message).toContain('without a GPU, run Dawn on SwiftShader: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json');
  });

  it('a Vulkan loader that cannot load (a broken libvulkan.so.1 found first on LD_LIBRARY_PATH)', async () => {
    const fake = join(work, 'fake-vulkan');
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, 'libvulkan.so.1'), 'not a shared library');
    const outcome = JSON.parse(await inChild(kOpenDawn, { LD_LIBRARY_PATH: fake }));
    expect(outcome.code).toBe('BACKEND_UNAVAILABLE');
    expect(outcome.message).toMatch(/^Dawn found no WebGPU adapter: the Vulkan loader libvulkan\.so\.1 could not be loaded \(.*fake-vulkan\/libvulkan\.so\.1.*\); install it \(Debian\/Ubuntu: apt-get install libvulkan1/);
  });

  it('importing webgpu-lstm/node loads no Dawn and no browser driver until asked', async () => {
    const loaded = await inChild(`console.log(JSON.stringify(Object.keys(node).sort()));`, {});
    expect(JSON.parse(loaded)).toContain('createNodeBackend');
    const browserBundle = readFileSync(join(kDist, 'index.js'), 'utf8');
    for (const nodeOnly of [/from ['"]webgpu['"]/, /import\(/, /puppeteer/, /dawnGpu|explainNoVulkanAdapter|libvulkan/]) expect(browserBundle).not.toMatch(nodeOnly);
    const nodeChunks = readdirSync(kDist).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(kDist, f), 'utf8'));
    expect(nodeChunks.some((text) => /await import\(\s*["']webgpu["']\s*\)/.test(text))).toBe(true);
    expect(nodeChunks.every((text) => !/^import .* from ['"]webgpu['"]/m.test(text))).toBe(true);
  });
});

describe('Dawn finds a driver by itself', () => {
  // No variable names a driver: the system's Vulkan drivers first; where they give Dawn no adapter
  // (no GPU: Mesa's lavapipe is refused), the SwiftShader ICD Chromium installs. Never Chromium's
  // 400× slower runtime because of a variable the user did not know to set.
  const kUnnamed = { VK_ICD_FILENAMES: undefined, VK_DRIVER_FILES: undefined, WEBGPU_LSTM_VK_ICD: undefined };
  const kProbe = `const b = await node.createNodeBackend({ prefer: 'webgpu' }); await b.close();
console.log(JSON.stringify({ runtime: b.runtime, reason: b.reason, variable: process.env.VK_ICD_FILENAMES ?? null }));`;

  it("'auto' with no driver named runs on Dawn, says which driver, and leaves VK_ICD_FILENAMES as it was", async () => {
    const outcome = JSON.parse(await inChild(kProbe, kUnnamed));
    expect(outcome.runtime).toBe('dawn');
    expect(outcome.variable).toBeNull();
    const driver = systemDriverServesDawn() ? "the system's Vulkan driver" : "SwiftShader's Vulkan ICD /usr/lib/chromium/vk_swiftshader_icd.json, found by the library (the system's Vulkan drivers gave Dawn no adapter)";
    const [head, adapter] = outcome.reason.split(/, (?=")/);
    expect(head).toBe(`the WebGPU backend was requested; runtime auto: Dawn found an adapter in this process on ${driver}`);
    expect(adapter).toMatch(/^".+"$/);
  });

  it.runIf(!systemDriverServesDawn())('WEBGPU_LSTM_VK_ICD names the ICD to try; one that gives no adapter is named in the error', async () => {
    const named = JSON.parse(await inChild(kProbe, { ...kUnnamed, WEBGPU_LSTM_VK_ICD: '/usr/lib/chromium/vk_swiftshader_icd.json' }));
    expect(named.reason).toContain('on the Vulkan ICD /usr/lib/chromium/vk_swiftshader_icd.json named by WEBGPU_LSTM_VK_ICD');
    const missing = JSON.parse(await inChild(kOpenDawn, { ...kUnnamed, WEBGPU_LSTM_VK_ICD: '/nonexistent/icd.json' }));
    expect(missing.code).toBe('BACKEND_UNAVAILABLE');
    expect(missing.message).toMatch(/^Dawn found no WebGPU adapter: neither the system's Vulkan drivers nor \/nonexistent\/icd.json gave an adapter; /);
  });
});

describe('software adapters (Dawn on SwiftShader is one)', () => {
  it("'auto' passes a software adapter over for the wasm engine, saying why, and takes it when asked", async () => {
    const gpu = await dawnGpu();
    const wasm = await createBackend({ prefer: 'auto', gpu });
    wasm.dispose();
    expect(wasm.kind).toBe('wasm');
    expect(wasm.reason).toMatch(
      /^auto: the wasm engine, because the WebGPU adapter is a software one \(google swiftshader SwiftShader driver 5\.0\.0\): CPU speed behind a GPU API, slower than the wasm engine on the same cores \(allowSoftwareAdapter: true takes it anyway\); \d+ threads? \(.*\), \w+ build$/,
    );
    const backend = await createBackend({ prefer: 'auto', gpu, allowSoftwareAdapter: true });
    backend.dispose();
    expect(backend.adapter!.isSoftware).toBe(true);
    expect(backend.reason).toBe('auto: a WebGPU adapter was found (google swiftshader), a software adapter: CPU speed behind a GPU API, taken because allowSoftwareAdapter is true');
  });

  it("allowSoftwareAdapter: false makes 'auto' take the wasm engine, and 'webgpu' fail, saying why", async () => {
    const gpu = await dawnGpu();
    const cpu = await createBackend({ prefer: 'auto', gpu, allowSoftwareAdapter: false });
    cpu.dispose();
    expect(cpu.kind).toBe('wasm');
    expect(cpu.reason).toMatch(
      /^auto: the wasm engine, because WebGPU backend unavailable: the adapter found is a software one \(google swiftshader, SwiftShader driver 5\.0\.0\) and allowSoftwareAdapter is false; /,
    );
    await expect(createBackend({ prefer: 'webgpu', gpu, allowSoftwareAdapter: false })).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  });
});

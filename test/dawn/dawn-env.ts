import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { findSwiftShaderIcd } from '../../src/node/dawn/vulkan.js';
import { createNodeBackend, type NodeBackend, type NodeBackendOptions } from '../../src/node/node-backend.js';

/**
 * The Dawn tests' environment. Dawn needs a Vulkan driver: where none is named (VK_ICD_FILENAMES,
 * VK_DRIVER_FILES) and the system's drivers give Dawn no adapter (a machine without a GPU, where
 * Mesa's lavapipe is refused), SwiftShader's ICD from Chromium serves — set here, before any test
 * opens Dawn. A machine with a GPU keeps its own driver. Imported first by every test/dawn file.
 */
export const kRepoRoot = resolve(__dirname, '../..');

let systemServes: boolean | undefined;

/** Whether the system's own Vulkan drivers give Dawn an adapter (no variable naming one); probed once. */
export function systemDriverServesDawn(): boolean {
  systemServes ??= probeSystemDriver();
  return systemServes;
}

function probeSystemDriver(): boolean {
  // In a child, so this process's Dawn instance starts after the variable is settled.
  const env = { ...process.env };
  delete env.VK_ICD_FILENAMES;
  delete env.VK_DRIVER_FILES;
  const probe = "const { create } = await import('webgpu'); process.exit((await create([]).requestAdapter()) ? 0 : 1);";
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: kRepoRoot, env, stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && !systemDriverServesDawn()) {
  const icd = findSwiftShaderIcd();
  if (icd) process.env.VK_ICD_FILENAMES = icd;
}

/** The environment child processes (the CLI, probes) need to find the same driver. */
export function dawnEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/**
 * A WebGPU backend on Dawn, in this process. No adapter fails the test with Dawn's reason and the
 * fix (CI installs libvulkan1 and Chromium, whose SwiftShader ICD serves without a GPU) — never a skip.
 */
export async function openDawn(options: Omit<NodeBackendOptions, 'prefer' | 'runtime'> = {}): Promise<NodeBackend> {
  try {
    return await createNodeBackend({ ...options, prefer: 'webgpu', runtime: 'dawn' });
  } catch (error) {
    throw new Error(
      `the Dawn tests need a WebGPU adapter through the \`webgpu\` package, and there is none: ${(error as Error).message}. ` +
        'Install the Vulkan loader (apt-get install -y libvulkan1) and, without a GPU, Chromium (apt-get install -y chromium) for its SwiftShader ICD.',
    );
  }
}

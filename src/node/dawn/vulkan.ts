import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where SwiftShader's Vulkan ICD manifest sits in the browsers that ship it: a CPU-only machine
 * runs Dawn on it (VK_ICD_FILENAMES=<manifest>). Debian's chromium package, then Google Chrome.
 */
const kSwiftShaderIcds = ['/usr/lib/chromium/vk_swiftshader_icd.json', '/opt/google/chrome/vk_swiftshader_icd.json'];

/** SwiftShader's ICD manifest on this machine, or null where no browser ships one. */
export function findSwiftShaderIcd(): string | null {
  return kSwiftShaderIcds.find((path) => existsSync(path)) ?? null;
}

/** The variable naming another ICD manifest to try when the system's Vulkan drivers give Dawn no adapter. */
export const kIcdEnvVar = 'WEBGPU_LSTM_VK_ICD';

/** The ICD manifest Dawn tries when the default loader gives it no adapter: WEBGPU_LSTM_VK_ICD's, else a browser's SwiftShader. */
export function swiftShaderCandidate(): string | null {
  return process.env[kIcdEnvVar] || findSwiftShaderIcd();
}

/**
 * Why Dawn's Vulkan backend found no adapter on Linux, in words a user can act on: the loader
 * (libvulkan.so.1) missing, the ICD files named by VK_ICD_FILENAMES missing, or no driver Dawn
 * accepts. Mesa's lavapipe is not one (measured with Mesa 22.3 and webgpu 0.6.2: Dawn refuses it,
 * "Vulkan shaderUniform*ArrayDynamicIndexing required").
 */
export function explainNoVulkanAdapter(): string {
  const loader = vulkanLoaderError();
  if (loader) {
    return `the Vulkan loader libvulkan.so.1 could not be loaded (${loader}); install it (Debian/Ubuntu: apt-get install libvulkan1; Fedora: dnf install vulkan-loader)`;
  }
  const swiftShader = findSwiftShaderIcd();
  const cpuOnly = swiftShader
    ? `without a GPU, run Dawn on SwiftShader: VK_ICD_FILENAMES=${swiftShader}`
    : 'without a GPU, install Chromium (apt-get install chromium) and set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json';
  const advice = `with a GPU, install its Vulkan driver (NVIDIA's driver; mesa-vulkan-drivers for AMD and Intel); ${cpuOnly} (Mesa's lavapipe is refused by Dawn)`;
  const named = process.env.VK_DRIVER_FILES || process.env.VK_ICD_FILENAMES;
  if (named) {
    const variable = process.env.VK_DRIVER_FILES ? 'VK_DRIVER_FILES' : 'VK_ICD_FILENAMES';
    const missing = named.split(delimiter).filter((path) => path && !existsSync(path));
    const what = missing.length > 0 ? `${variable} names files that do not exist: ${missing.join(', ')}` : `no Vulkan driver named by ${variable}=${named} gave Dawn an adapter`;
    return `${what}; ${advice}`;
  }
  const manifests = installedIcdManifests();
  const found = manifests.length > 0 ? `the installed Vulkan drivers (${manifests.join(', ')}) gave Dawn no adapter` : 'no Vulkan driver is installed';
  return `${found}; ${advice}`;
}

/** null when libvulkan.so.1 loads, else dlopen's message. */
function vulkanLoaderError(): string | null {
  try {
    // process.dlopen runs the system's dlopen with the usual search path, as Dawn does; a library
    // that is not a Node addon then fails to register, which means it was found and loaded.
    process.dlopen({ exports: {} }, 'libvulkan.so.1');
    return null;
  } catch (error) {
    const message = (error as Error).message;
    return /self-register/i.test(message) ? null : message;
  }
}

/** The ICD manifests the Vulkan loader reads when no variable names them (its default folders). */
function installedIcdManifests(): string[] {
  const data = (process.env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':');
  const folders = ['/etc/vulkan/icd.d', ...data.map((dir) => join(dir, 'vulkan/icd.d'))];
  return folders.flatMap((folder) => {
    try {
      return readdirSync(folder).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
  });
}

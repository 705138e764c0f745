import { kBinaries } from '../generated/binaries.js';

/** Which of the four builds (scripts/build-wasm.mjs) a JavaScript engine runs. */
export type BuildName = keyof typeof kBinaries;

export function buildName(relaxedSimd: boolean, shared: boolean): BuildName {
  if (relaxedSimd) return shared ? 'relaxedShared' : 'relaxed';
  return shared ? 'simdShared' : 'simd';
}

/**
 * A build's compiled module, once per build per process (each engine instantiates it; V8 shares its
 * code, and its tier-up to optimised code, between instances and with the workers it is sent to).
 */
const compiled = new Map<BuildName, Promise<WebAssembly.Module>>();

export function compiledModule(name: BuildName): Promise<WebAssembly.Module> {
  let module = compiled.get(name);
  if (!module) {
    module = WebAssembly.compile(decodeBase64(kBinaries[name]));
    compiled.set(name, module);
  }
  return module;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The build's size in bytes (the bench reports what the engine adds to a bundle). */
export function buildBytes(name: BuildName): number {
  return Math.floor((kBinaries[name].length * 3) / 4);
}

import { LstmError } from '../../core/errors.js';

/**
 * What this JavaScript engine offers the wasm engine, found once by validating tiny modules (no
 * user agent sniffing): 128-bit SIMD (required), relaxed SIMD's fused multiply-add (used where
 * present), and shared memory with workers (threads).
 */
export interface WasmFeatures {
  readonly simd: boolean;
  readonly relaxedSimd: boolean;
  /** Why threads are unavailable here, or null where they are available. */
  readonly threadsUnavailable: string | null;
}

// (module (func (result v128) (v128.const i64x2 0 0)))
const kSimdProbe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11]);
// (module (func (result v128) (f32x4.relaxed_madd (v128.const …) (v128.const …) (v128.const …))))
const kRelaxedProbe = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 61, 1, 59, 0,
  253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  253, 133, 2, 11,
]);

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** Whether this is Node (worker_threads), where threads need no cross-origin isolation. */
export function isNode(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof process?.versions?.node === 'string';
}

/**
 * A Node built-in module, through process.getBuiltinModule (Node ≥ 20.16): no `import('node:…')`
 * appears in the browser bundle, which must load in a plain page.
 */
export function nodeBuiltin<T>(name: string): T {
  return (globalThis as unknown as { process: { getBuiltinModule(name: string): T } }).process.getBuiltinModule(name);
}

function threadsUnavailable(): string | null {
  if (typeof SharedArrayBuffer === 'undefined') {
    return 'SharedArrayBuffer is missing: a page needs cross-origin isolation (Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (!isNode()) {
    if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
      return 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
    }
    if (typeof Worker === 'undefined') return 'this context has no Worker';
  }
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (error) {
    return `shared WebAssembly memory is refused (${(error as Error).message})`;
  }
  return null;
}

let detected: WasmFeatures | null = null;

export function wasmFeatures(): WasmFeatures {
  detected ??= Object.freeze({
    simd: typeof WebAssembly === 'object' && validates(kSimdProbe),
    relaxedSimd: typeof WebAssembly === 'object' && validates(kRelaxedProbe),
    threadsUnavailable: typeof WebAssembly === 'object' ? threadsUnavailable() : 'there is no WebAssembly',
  });
  return detected;
}

/** BACKEND_UNAVAILABLE unless this engine runs WebAssembly with 128-bit SIMD. */
export function requireSimd(features: WasmFeatures): void {
  if (typeof WebAssembly !== 'object') throw new LstmError('BACKEND_UNAVAILABLE', 'wasm backend unavailable: this JavaScript engine has no WebAssembly');
  if (!features.simd) {
    throw new LstmError(
      'BACKEND_UNAVAILABLE',
      'wasm backend unavailable: this JavaScript engine has WebAssembly without 128-bit SIMD (Chrome 91+, Firefox 89+, Safari 16.4+, Node 16.4+ have it); use the cpu backend',
    );
  }
}

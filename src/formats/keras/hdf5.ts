import { describeValue, formatShape } from '../../core/describe.js';
import { invalidArgument, LstmError } from '../../core/errors.js';

/**
 * HDF5 through h5wasm (the HDF5 C library compiled to WebAssembly; reads and writes, Node and
 * browsers). It is imported on first use, so the 4 MB module costs nothing to those who never open
 * an .h5 file. h5wasm's throwing error handler is switched on, so a malformed file gives an error
 * here (INVALID_ARGUMENT "not a readable HDF5 file") instead of HDF5's diagnostics on stderr.
 * The bytes go to h5wasm's in-memory file system under a unique name and are deleted after use.
 */

type H5wasm = typeof import('h5wasm').default;
type H5File = InstanceType<H5wasm['File']>;

let loading: Promise<{ h5: H5wasm; FS: { writeFile(path: string, data: Uint8Array): void; readFile(path: string): Uint8Array; unlink(path: string): void } }> | null = null;
let counter = 0;

async function h5wasm() {
  loading ??= (async () => {
    let h5: H5wasm;
    try {
      h5 = (await import('h5wasm')).default;
    } catch (error) {
      loading = null;
      throw new LstmError('BACKEND_UNAVAILABLE', `reading HDF5 (.h5, .keras) needs the h5wasm package, which failed to load: ${(error as Error).message}; install it (npm install h5wasm)`);
    }
    const module = await h5.ready;
    (module as unknown as { activate_throwing_error_handler(): number }).activate_throwing_error_handler();
    return { h5, FS: module.FS as never };
  })();
  return loading;
}

/** A read-only view of an open HDF5 file, by absolute path ("/model_weights/lstm"). */
export interface Hdf5View {
  /** 'group', 'dataset', or null where nothing (or a link, a datatype) is at the path. */
  kind(path: string): 'group' | 'dataset' | null;
  /** A group's member names. */
  children(path: string): string[];
  /** An attribute's value: a string, a list of strings, numbers; undefined when absent. */
  attr(path: string, name: string): unknown;
  /** A dataset's shape (read from its header; no data is read). */
  shape(path: string): number[];
  /** A numeric dataset's values as float64 (little-endian integers or floats only). */
  read(path: string): Float64Array;
}

/**
 * HDF5's diagnostics as one short clause: the innermost call and its complaint from the first
 * "#000: …/H5L.c line 1607 in H5Literate2(): synchronous link iteration failed" line, else the
 * first line that is not the "HDF5-DIAG" banner.
 */
function hdf5Reason(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n');
  const frame = lines.map((l) => /#\d+: .* in (\w+)\(\): (.*)$/.exec(l)).find((m) => m !== null);
  const reason = frame ? `${frame[1]}: ${frame[2]}` : (lines.find((l) => l.trim() && !l.startsWith('HDF5-DIAG')) ?? '');
  return reason.trim().slice(0, 200);
}

function wrap(error: unknown, what: string): Error {
  if (error instanceof LstmError) return error;
  return invalidArgument(`${what}: not a readable HDF5 file (${hdf5Reason(error)})`);
}

/** Runs one call into h5wasm, its failure (HDF5's diagnostics, a wasm trap) made INVALID_ARGUMENT naming the file and the entry. */
function guarded<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw wrap(error, what);
  }
}

type H5Node = { type?: string; keys?: () => string[]; attrs: Record<string, { value: unknown }>; shape?: number[]; metadata?: { type: number; size: number; littleEndian: boolean; vlen: boolean }; value?: unknown };

/**
 * Every member of the view goes through `guarded`: h5wasm reads the file lazily, so listing a
 * group, reading its attributes or a dataset's header can each meet the corrupt bytes, not only
 * opening the file.
 */
function view(file: H5File, what: string): Hdf5View {
  const at = (path: string) => `${what} ${path}`;
  const get = (path: string) => guarded(at(path), () => file.get(path) as unknown as H5Node | null);
  return {
    kind(path) {
      const node = get(path);
      return guarded(at(path), () => (node?.type === 'Group' ? 'group' : node?.type === 'Dataset' ? 'dataset' : null));
    },
    children(path) {
      const node = get(path);
      return guarded(at(path), () => (node?.type === 'Group' && node.keys ? node.keys() : []));
    },
    attr(path, name) {
      const node = get(path);
      return guarded(`${at(path)} attribute ${name}`, () => (node && Object.hasOwn(node.attrs, name) ? node.attrs[name].value : undefined));
    },
    shape(path) {
      const node = get(path);
      return guarded(at(path), () => [...(node?.shape ?? [])]);
    },
    read(path) {
      const node = get(path);
      const meta = guarded(at(path), () => node?.metadata);
      // h5wasm's metadata.type is HDF5's class: 0 integer, 1 float.
      if (!node || !meta || (meta.type !== 0 && meta.type !== 1) || meta.vlen || !meta.littleEndian) {
        throw invalidArgument(`${at(path)}: expected a little-endian integer or float dataset, got ${describeValue(meta)}`);
      }
      const value = guarded(at(path), () => node.value);
      if (!ArrayBuffer.isView(value) && typeof value !== 'number') throw invalidArgument(`${at(path)}: unexpected dataset value ${describeValue(value)} for shape ${formatShape(guarded(at(path), () => node.shape ?? []))}`);
      return typeof value === 'number' ? Float64Array.of(value) : Float64Array.from(value as unknown as ArrayLike<number>, Number);
    },
  };
}

/**
 * Opens `bytes` as HDF5 and calls `fn` with a view of it; the file is closed and deleted after.
 * Throws INVALID_ARGUMENT naming `what` when the bytes are not a readable HDF5 file.
 */
export async function withHdf5<T>(bytes: Uint8Array, what: string, fn: (file: Hdf5View) => T): Promise<T> {
  const { h5, FS } = await h5wasm();
  const path = `/webgpu-lstm-${uniqueTag()}-${counter++}.h5`;
  FS.writeFile(path, bytes);
  let file: H5File | null = null;
  try {
    file = guarded(what, () => new h5.File(path, 'r'));
    return fn(view(file, what));
  } finally {
    try {
      if (file) guarded(what, () => file!.close());
    } finally {
      FS.unlink(path);
    }
  }
}

/** Writes a new HDF5 file with `fill` and returns its bytes. */
export async function writeHdf5(fill: (file: H5File) => void): Promise<Uint8Array> {
  const { h5, FS } = await h5wasm();
  const path = `/webgpu-lstm-${uniqueTag()}-${counter++}.h5`;
  const file = new h5.File(path, 'w');
  try {
    fill(file);
  } finally {
    file.close();
  }
  try {
    return FS.readFile(path).slice();
  } finally {
    FS.unlink(path);
  }
}

function uniqueTag(): string {
  return Math.random().toString(36).slice(2, 8);
}

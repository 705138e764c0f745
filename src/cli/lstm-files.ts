import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { invalidArgument, limitExceeded, LstmError } from '../core/errors.js';
import { readLstmFile } from '../api/model-files.js';
import type { LSTM } from '../model/lstm.js';
import type { ParsedArgs } from './args.js';

function fail(path: string, error: unknown): never {
  if (error instanceof LstmError) throw error;
  throw invalidArgument(`--model ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
}

/** The --model file's bytes, refused before reading when larger than --max-bytes. */
export function readModelBytes(path: string, maxBytes: number): Uint8Array {
  try {
    const size = statSync(path).size;
    if (size > maxBytes) throw limitExceeded(`--model ${path}: the file is ${size} bytes, more than --max-bytes ${maxBytes}`);
    return readFileSync(path);
  } catch (error) {
    fail(path, error);
  }
}

/** Whether --model is an ONNX file (by --from, its extension or its first bytes): run and info take the graph executor's path. */
export function isOnnxModel(args: ParsedArgs): boolean {
  const path = args.flags.get('model');
  const from = args.flags.get('from');
  if (path === undefined || args.flags.has('weights')) return false;
  if (from !== undefined) return from === 'onnx';
  if (/\.onnx$/i.test(path)) return true;
  return !/\.safetensors$/i.test(path) && kindOf(path) === 'onnx';
}

/** ONNX or safetensors by the file's first bytes; null for anything else. */
function kindOf(path: string): 'onnx' | 'safetensors' | null {
  const head = new Uint8Array(9);
  try {
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, 9, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    fail(path, error);
  }
  if (head[6] === 0 && head[7] === 0 && head[8] === 0x7b) return 'safetensors'; // a u64 header length, then '{'
  return head[0] === 0x08 ? 'onnx' : null; // ModelProto opens with ir_version (field 1, varint)
}

/** Whether the file is ONNX or safetensors: by --from, its extension, or its first bytes. */
function isOnnxOrSafetensors(path: string, from: string | undefined): boolean {
  if (from !== undefined) return from === 'onnx' || from === 'safetensors';
  if (/\.(onnx|safetensors)$/i.test(path)) return true;
  return kindOf(path) !== null;
}

/**
 * --model as this library's LSTM when it is an ONNX or safetensors file (by --from, its extension or
 * its content), for run, verify, grad and train; null for our JSON or a Keras / TensorFlow.js file.
 * The file is refused before reading when larger than --max-bytes.
 */
export function lstmModelFile(args: ParsedArgs, maxBytes: number): LSTM | null {
  const path = args.flags.get('model');
  const from = args.flags.get('from');
  if (path === undefined) return null;
  if (!isOnnxOrSafetensors(path, from)) return null;
  const bytes = readModelBytes(path, maxBytes);
  return readLstmFile({ path, bytes, readSibling: () => new Uint8Array() }, { maxBytes, from });
}

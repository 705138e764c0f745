import { strToU8, unzipSync, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDeflateRaw } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LstmError } from '../../src/core/errors.js';
import { kerasModelFromH5 } from '../../src/formats/keras/read-h5.js';
import { kerasModelFromZip } from '../../src/formats/keras/read-zip.js';
import { loadModelFile } from '../../src/api/model-files.js';
import { tfjsModelFromJSON } from '../../src/formats/tfjs/read.js';

// The three classes of hostile file the fuzz run of issue 20 found, each as the smallest file that
// shows it: a JSON value nested too deep for a recursive walk, bytes that make h5wasm fail while a
// group is listed (after the file opened), and a zip entry that deflates far past its declared size.
// Each must end as a typed one-line error, and quickly.

const root = resolve(__dirname, '../fixtures');
const fixture = (path: string) => new Uint8Array(readFileSync(join(root, path)));

async function failure(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof LstmError)) throw new Error(`expected an LstmError, got ${String(error).slice(0, 300)}`);
    return `${error.code}: ${error.message}`;
  }
  throw new Error('expected an error');
}

/** `[[[ … ]]]`, `depth` arrays deep. */
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const noSibling = () => new Uint8Array();

describe('a JSON value nested deeper than any model file', () => {
  // 20 000 levels overflow a recursive walk's stack; JSON.parse itself reads them.
  const deep = nested(20_000);
  const layer = `{"class_name": "LSTM", "config": {"name": "lstm", "units": 2, "extra": ${deep}}}`;
  const topology = `{"class_name": "Sequential", "config": {"name": "s", "layers": [${layer}]}}`;

  it('in a TensorFlow.js model.json is INVALID_ARGUMENT naming the limit', async () => {
    const bytes = strToU8(`{"modelTopology": ${topology}, "weightsManifest": []}`);
    expect(await failure(() => loadModelFile({ path: 'model.json', bytes, readSibling: noSibling }))).toBe('INVALID_ARGUMENT: model.json: nested deeper than 64 levels of arrays and objects (the limit for a model file)');
  });

  it('in a Keras to_json() config (with its weights) and in a .keras config.json', async () => {
    const weights = { path: 'w.weights.h5', bytes: unzipSync(fixture('keras/keras3_bilstm.keras'))['model.weights.h5'] };
    expect(await failure(() => loadModelFile({ path: 'model.json', bytes: strToU8(topology), weights, readSibling: noSibling }))).toMatch(/^INVALID_ARGUMENT: model.json: nested deeper than 64 levels/);
    const zip = zipSync({ 'config.json': strToU8(topology), 'metadata.json': strToU8('{"keras_version": "3.6.0"}'), 'model.weights.h5': weights.bytes });
    expect(await failure(() => kerasModelFromZip(zip))).toBe('INVALID_ARGUMENT: .keras entry config.json: nested deeper than 64 levels of arrays and objects (the limit for a model file)');
  });

  it('in a parsed object a caller hands to the reader', async () => {
    const json = JSON.parse(`{"modelTopology": ${topology}, "weightsManifest": []}`);
    expect(await failure(() => tfjsModelFromJSON(json, noSibling))).toMatch(/^INVALID_ARGUMENT: model config: nested deeper than 64 levels/);
  });

  it('refuses nothing a real file holds: the deepest fixture (a Keras 3 Bidirectional, 11 levels) still reads', async () => {
    const dir = join(root, 'tfjs/bidirectional_concat_keras3');
    const model = await loadModelFile({ path: join(dir, 'model.json'), bytes: new Uint8Array(readFileSync(join(dir, 'model.json'))), readSibling: (p) => new Uint8Array(readFileSync(join(dir, p))) });
    expect(model.kind).toBe('sequence');
  });
});

describe('a .keras weights file that h5wasm opens but cannot list', () => {
  it('is INVALID_ARGUMENT naming the file and the group, with no HDF5-DIAG dump', async () => {
    // Six bytes overwritten in a B-tree node of keras3_bilstm's model.weights.h5 (found by the fuzz
    // run): the file opens, and HDF5 fails in H5Literate2 when the layers group is listed.
    const files = unzipSync(fixture('keras/keras3_bilstm.keras'));
    const weights = files['model.weights.h5'].slice();
    weights.set([80, 127, 86, 86, 150, 241], 36456);
    const config = JSON.parse(new TextDecoder().decode(files['config.json']));
    const message = await failure(() => kerasModelFromH5(weights, { modelConfig: config, kerasVersion: '3' }));
    expect(message).toMatch(/^INVALID_ARGUMENT: HDF5 file \/\S+: not a readable HDF5 file \(H5\w+: .+\)$/);
    expect(message).not.toContain('HDF5-DIAG');
    expect(message.split('\n')).toHaveLength(1);
  });
});

/** `size` bytes of zeros, raw-deflated (about 1 KB per MB) without holding them in memory. */
async function deflatedZeros(size: number): Promise<Uint8Array> {
  const stream = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => stream.on('end', resolve));
  const zeros = Buffer.alloc(1 << 20);
  for (let written = 0; written < size; written += zeros.length) {
    if (!stream.write(zeros)) await new Promise((resolve) => stream.once('drain', resolve));
  }
  stream.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

/** A .keras zip whose model.weights.h5 holds `deflated` but declares `declared` bytes (method 8, both headers). */
function bombZip(deflated: Uint8Array, declared: number): Uint8Array {
  const zip = zipSync({ 'config.json': strToU8('{}'), 'metadata.json': strToU8('{}'), 'model.weights.h5': deflated }, { level: 0 });
  const view = new DataView(zip.buffer);
  for (let i = 0; i + 46 < zip.length; i++) {
    const signature = view.getUint32(i, true);
    const central = signature === 0x02014b50;
    if (!central && signature !== 0x04034b50) continue;
    const nameAt = i + (central ? 46 : 30);
    const nameLength = view.getUint16(i + (central ? 28 : 26), true);
    if (new TextDecoder().decode(zip.subarray(nameAt, nameAt + nameLength)) !== 'model.weights.h5') continue;
    view.setUint16(i + (central ? 10 : 8), 8, true); // compression: deflate
    view.setUint32(i + (central ? 24 : 22), declared, true); // uncompressed size
  }
  return zip;
}

describe('a zip entry that inflates past its declared size', () => {
  it('stops at the declared size: 1 GiB of zeros declared as 4 KiB is refused in well under a second', async () => {
    const zip = bombZip(await deflatedZeros(1 << 30), 4096);
    const start = performance.now();
    const message = await failure(() => kerasModelFromZip(zip));
    const ms = performance.now() - start;
    console.log(`zip bomb: ${zip.length} bytes, 1 GiB of zeros declared as 4 KiB, refused in ${ms.toFixed(0)} ms`);
    expect(message).toBe('INVALID_ARGUMENT: .keras entry model.weights.h5: inflates past the 4096 bytes it declares (stopped there: a corrupt file or a zip bomb)');
    // Inflating the whole GiB takes about 2.4 s here; stopping at the declared size takes milliseconds.
    expect(ms).toBeLessThan(500);
  });
});

describe('a shard reader that throws', () => {
  it('has its error wrapped: INVALID_ARGUMENT naming the manifest entry and the shard', async () => {
    const dir = join(root, 'tfjs/stacked');
    const bytes = new Uint8Array(readFileSync(join(dir, 'model.json')));
    const readSibling = (path: string): Uint8Array => {
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    };
    expect(await failure(() => loadModelFile({ path: 'model.json', bytes, readSibling }))).toBe(
      'INVALID_ARGUMENT: model.json weightsManifest[0].paths[0]: reading the shard "weights.bin" failed (ENOENT: no such file or directory, open \'weights.bin\')',
    );
    expect(await failure(() => loadModelFile({ path: 'model.json', bytes, readSibling: () => 'not bytes' as unknown as Uint8Array }))).toMatch(/^INVALID_ARGUMENT: .*returned "not bytes" for "weights.bin", expected a Uint8Array/);
  });
});

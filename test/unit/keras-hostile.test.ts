import { strToU8, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LstmError } from '../../src/core/errors.js';
import { kerasModelFromH5 } from '../../src/formats/keras/read-h5.js';
import { kerasModelFromZip } from '../../src/formats/keras/read-zip.js';
import { tfjsModelFromJSON } from '../../src/formats/tfjs/read.js';

/** Untrusted Keras and TensorFlow.js files: each gives a typed error, budgets before allocation. */
const root = resolve(__dirname, '../fixtures');
const forecastJSON = () => JSON.parse(readFileSync(join(root, 'tfjs/forecast/model.json'), 'utf8'));
const forecastShard = () => new Uint8Array(readFileSync(join(root, 'tfjs/forecast/weights.bin')));

async function code(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(LstmError);
    return `${(error as LstmError).code}: ${(error as Error).message}`;
  }
  throw new Error('expected an error');
}

/** A zip whose model.weights.h5 entry declares `size` bytes in both headers (its data stays tiny). */
function lyingZip(size: number): Uint8Array {
  const zip = zipSync({ 'config.json': strToU8('{}'), 'metadata.json': strToU8('{}'), 'model.weights.h5': new Uint8Array(16) }, { level: 0 });
  const view = new DataView(zip.buffer);
  for (let i = 0; i + 46 < zip.length; i++) {
    const signature = view.getUint32(i, true);
    const nameAt = signature === 0x02014b50 ? i + 46 : signature === 0x04034b50 ? i + 30 : -1;
    if (nameAt < 0) continue;
    const nameLength = view.getUint16(i + (signature === 0x02014b50 ? 28 : 26), true);
    if (new TextDecoder().decode(zip.subarray(nameAt, nameAt + nameLength)) === 'model.weights.h5') view.setUint32(i + (signature === 0x02014b50 ? 24 : 22), size, true);
  }
  return zip;
}

describe('hostile Keras and TensorFlow.js files', () => {
  it('a .keras entry declaring 4 GB is refused against the budget before anything is inflated', async () => {
    expect(await code(kerasModelFromZip(lyingZip(0xfffffff0), { maxBytes: 64 << 20 }))).toMatch(/^LIMIT_EXCEEDED: .*declared sizes/);
  });

  it('an entry that does not inflate to its declared size, and bytes that are not a zip, are INVALID_ARGUMENT', async () => {
    expect(await code(kerasModelFromZip(lyingZip(1000)))).toMatch(/^INVALID_ARGUMENT: .keras entry model.weights.h5: declares 1000 bytes|INVALID_ARGUMENT: .keras file: not a readable zip/);
    expect(await code(kerasModelFromZip(strToU8('PK\x03\x04 not really a zip')))).toMatch(/^INVALID_ARGUMENT: .keras file: not a readable zip/);
  });

  it('a truncated .h5 is INVALID_ARGUMENT, without HDF5 diagnostics', async () => {
    const h5 = readFileSync(join(root, 'keras/keras2_stacked.h5'));
    for (const cut of [16, 800, h5.length - 200]) expect(await code(kerasModelFromH5(h5.subarray(0, cut)))).toMatch(/^INVALID_(ARGUMENT|PARAMETER): /);
  });

  it('a manifest declaring huge weights is refused before any shard is read', async () => {
    const json = forecastJSON();
    json.weightsManifest[0].weights[0].shape = [1 << 20, 1 << 12];
    let reads = 0;
    expect(await code(() => tfjsModelFromJSON(json, () => (reads++, forecastShard()), { maxBytes: 1 << 30 }))).toMatch(/^LIMIT_EXCEEDED/);
    expect(reads).toBe(0);
  });

  it('a truncated shard, a NaN weight and an unknown dtype are typed errors', async () => {
    expect(await code(() => tfjsModelFromJSON(forecastJSON(), () => forecastShard().subarray(0, 100)))).toMatch(/^INVALID_PARAMETER: .*truncated/);
    const nan = forecastShard();
    new DataView(nan.buffer).setFloat32(8, NaN, true);
    expect(await code(() => tfjsModelFromJSON(forecastJSON(), () => nan))).toMatch(/^NON_FINITE: weight "lstm_LSTM\d+\/kernel"/);
    const json = forecastJSON();
    json.weightsManifest[0].weights[0].dtype = 'complex64';
    expect(await code(() => tfjsModelFromJSON(json, forecastShard))).toMatch(/^INVALID_ARGUMENT: .*dtype "complex64"/);
  });

  it('a layer outside the supported set is named with its class and what is supported', async () => {
    const json = forecastJSON();
    json.modelTopology.config.layers[0].class_name = 'GRU';
    expect(await code(() => tfjsModelFromJSON(json, forecastShard))).toMatch(/^INVALID_ARGUMENT: layer "lstm_LSTM\d+" \(GRU\): this layer class is not supported; supported: InputLayer, LSTM, Bidirectional\(LSTM\)/);
  });

  it('a mask with a gap (a real step after padding) is refused', async () => {
    const { referenceGraph } = await import('../../src/api/graph.js');
    const model = tfjsModelFromJSON(JSON.parse(readFileSync(join(root, 'tfjs/masking/model.json'), 'utf8')), () => new Uint8Array(readFileSync(join(root, 'tfjs/masking/weights.bin'))));
    const x = new Float64Array(6 * 2).fill(0.5);
    x.fill(0, 4, 6); // step 2 of 6 is padding, step 3 is not
    expect(await code(referenceGraph(model, x, { batch: 1 }))).toMatch(/^INVALID_ARGUMENT: .*masked step at t = 2 before real steps/);
  });
});

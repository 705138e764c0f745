import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kerasModelFromH5 } from '../../src/formats/keras/read-h5.js';
import { kerasModelFromZip } from '../../src/formats/keras/read-zip.js';
import { kerasModelToH5, kerasModelToZip } from '../../src/formats/keras/write-h5.js';
import { kTfjsDir, modelSnapshot, tfjsCase } from './graph-helpers.js';

/**
 * Writing Keras files: every TensorFlow.js fixture written as Keras 2 HDF5 and as Keras 3 .keras,
 * read back, is the same model weight for weight. A model whose hard_sigmoid is Keras 2's
 * (slope 0.2) is refused for .keras, where hard_sigmoid means slope 1/6.
 */
const kKeras2HardSigmoid = (name: string) => /hard_sigmoid|bidirectional_mul/.test(name);

describe('Keras files written and read back', () => {
  it.each(readdirSync(kTfjsDir).sort())('%s', async (name) => {
    const c = tfjsCase(name);
    const h5 = await kerasModelToH5(c.model);
    expect(modelSnapshot(await kerasModelFromH5(h5)).layers).toEqual(modelSnapshot(c.model).layers);
    if (kKeras2HardSigmoid(name)) {
      await expect(kerasModelToZip(c.model)).rejects.toThrow(/hard_sigmoid with slope 0.2|no Keras name in Keras 3/);
      return;
    }
    const zip = await kerasModelToZip(c.model);
    const back = await kerasModelFromZip(zip);
    expect(back.source.kerasVersion).toBe('3.8.0');
    expect(modelSnapshot(back).layers).toEqual(modelSnapshot(c.model).layers);
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as library from '../../src/index.js';

// The README documents the JavaScript call for reading and writing every format, not only the
// CLI and the Python side: each function named here is exported and shown in the README.

const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');

const kFormatCalls = [
  'loadModelFile',
  'writeModelFile',
  'modelFromJSON',
  'modelToJSON',
  'tfjsModelFromJSON',
  'tfjsModelToArtifacts',
  'kerasModelFromH5',
  'kerasModelToH5',
  'kerasModelFromZip',
  'kerasModelToZip',
  'modelFromOnnx',
  'modelToOnnx',
  'modelFromSafetensors',
  'modelToSafetensors',
];

describe('the README', () => {
  it.each(kFormatCalls)('shows the call %s(…), which the index exports', (name) => {
    expect(typeof (library as Record<string, unknown>)[name]).toBe('function');
    expect(readme).toContain(`${name}(`);
  });

  it('names every format the registry reads', () => {
    for (const format of library.kModelFormats.filter((f) => f !== 'keras-json')) expect(readme.toLowerCase()).toContain(format === 'h5' ? '.h5' : format);
  });
});

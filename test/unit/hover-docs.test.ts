import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// What an editor shows on hover over the options a new user types first: TypeScript's own
// language service asked for the quick info at each key of a consumer's call, as VS Code asks.

const root = resolve(__dirname, '../..');
const consumer = join(root, 'test/unit/__hover_consumer__.ts');
const text = `import { LSTM } from '../../src/index.js';
export const model = LSTM.random({ inputSize: 2, hiddenSize: 4, numLayers: 2, bidirectional: true, head: { layers: [{ outFeatures: 1 }], over: 'last' } });
`;

function service(): ts.LanguageService {
  const config = ts.parseJsonConfigFileContent(JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')), ts.sys, root);
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [consumer],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const content = name === consumer ? text : ts.sys.readFile(name);
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
    },
    getCurrentDirectory: () => root,
    getCompilationSettings: () => config.options,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (name) => name === consumer || ts.sys.fileExists(name),
    readFile: (name) => (name === consumer ? text : ts.sys.readFile(name)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  return ts.createLanguageService(host);
}

describe('hover docs', () => {
  const ls = service();
  const hover = (key: string) => {
    const info = ls.getQuickInfoAtPosition(consumer, text.indexOf(`${key}:`) + 1);
    return ts.displayPartsToString(info?.documentation ?? []);
  };

  it.each([
    ['hiddenSize', /hidden and cell state.*Required/],
    ['numLayers', /stacked LSTM layers.*Default 1/],
    ['bidirectional', /backward in time.*Default false/],
    ['over', /'last' \(default\).*'sequence'/s],
  ])('%s says what it is and its default', (key, expected) => {
    expect(hover(key)).toMatch(expected);
  });
});

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// What an npm user hovers over is the public API's docstrings, and the package holds no src/: a
// docstring of an exported name (or of its members) that says "see src/…" points nowhere. They
// point to docs/ (shipped in the package) or name the exported function instead.

const root = resolve(__dirname, '../..');
const kEntries = ['src/index.ts', 'src/node/index.ts'].map((entry) => resolve(root, entry));

function publicDocs(): { name: string; text: string }[] {
  const config = ts.getParsedCommandLineOfConfigFile(resolve(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const program = ts.createProgram(kEntries, config.options);
  const checker = program.getTypeChecker();
  const docs: { name: string; text: string }[] = [];
  const seen = new Set<ts.Symbol>();
  const visit = (symbol: ts.Symbol, name: string, depth: number) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (seen.has(target) || depth > 2) return;
    seen.add(target);
    const text = [ts.displayPartsToString(target.getDocumentationComment(checker)), ...target.getJsDocTags(checker).map((tag) => ts.displayPartsToString(tag.text))].join('\n');
    if (text.trim()) docs.push({ name, text });
    // Members of exported interfaces and classes, and the static side of classes.
    for (const member of [...(target.members?.values() ?? []), ...(target.exports?.values() ?? [])]) visit(member, `${name}.${member.name}`, depth + 1);
  };
  for (const entry of kEntries) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    for (const symbol of checker.getExportsOfModule(module)) visit(symbol, symbol.name, 0);
  }
  return docs;
}

describe('public docstrings', () => {
  const docs = publicDocs();

  it('are read for the exported API (a sanity check of the walk)', () => {
    expect(docs.length).toBeGreaterThan(100);
    expect(docs.map((d) => d.name)).toContain('LstmConfig.hiddenSize');
  });

  it('name no src/ path (the npm package has none); they point to docs/ instead', () => {
    const offenders = docs.filter((d) => /\bsrc\//.test(d.text)).map((d) => `${d.name}: ${d.text.match(/[^\n]*\bsrc\/[^\n]*/)![0].trim().slice(0, 140)}`);
    expect(offenders).toEqual([]);
  });

  it('point only to docs/ pages the package ships', () => {
    const pages = new Set(docs.flatMap((d) => d.text.match(/\bdocs\/[\w-]+\.md/g) ?? []));
    expect(pages.size).toBeGreaterThan(3);
    expect([...pages].filter((page) => !existsSync(resolve(root, page)))).toEqual([]);
  });
});

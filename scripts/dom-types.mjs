// After `tsc -p tsconfig.build.json`: the declaration entry points TypeScript 7 and later resolve
// (package.json's "types@>=7" export condition). TypeScript 7's DOM lib declares WebGPU itself, so
// the `/// <reference types="@webgpu/types" />` of index.d.ts would declare every GPU type twice
// (182 errors in a strict app with skipLibCheck false); these copies leave it out. TypeScript 5.x,
// whose DOM lib has no WebGPU, keeps resolving index.d.ts and its reference.
import { readFileSync, writeFileSync } from 'node:fs';

const kReference = /^\/\/\/ <reference types="@webgpu\/types"[^\n]*\n/;

for (const entry of ['dist/types/index', 'dist/types/node/index']) {
  const text = readFileSync(`${entry}.d.ts`, 'utf8');
  if (!kReference.test(text)) throw new Error(`${entry}.d.ts: expected the @webgpu/types reference on its first line`);
  writeFileSync(`${entry}.dom.d.ts`, `// For TypeScript 7+, whose DOM lib declares WebGPU (scripts/dom-types.mjs).\n${text.replace(kReference, '')}`);
}

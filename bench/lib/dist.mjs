// The built library (dist/), loaded by path so that type-checking the bench reads the source's
// types rather than the bundle: `npm run build` first.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const kDist = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');

/**
 * @returns {Promise<{ lib: typeof import('../../src/index.js'), node: typeof import('../../src/node/index.js') }>}
 */
export async function loadDist() {
  const [lib, node] = await Promise.all([import(resolve(kDist, 'index.js')), import(resolve(kDist, 'node.js'))]);
  return { lib, node };
}

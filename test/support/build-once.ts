import { build } from 'vite';
import { buildWasm } from '../../scripts/build-wasm.mjs';

/** Vitest global setup: build the wasm engine's binaries, then the library bundle the browser tests load. */
export default async function setup(): Promise<void> {
  await buildWasm({ log: () => {} });
  await build({ logLevel: 'warn' });
}

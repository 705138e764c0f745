import { build } from 'vite';

/** Vitest global setup: build the library bundle the browser tests load. */
export default async function setup(): Promise<void> {
  await build({ logLevel: 'warn' });
}

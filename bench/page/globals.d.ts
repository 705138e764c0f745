// Types for the bench page's JavaScript, which bench/tsconfig.json type-checks (checkJs).

interface Window {
  /** What the Node runner drives (bench/page/main.js). */
  bench: typeof import('./main.js').bench;
  /** Set once main.js has installed `bench`. */
  benchReady?: boolean;
  /** The library, as the launcher's own start page exposes it (bench/dawn-vs-chromium.mjs and the other scripts). */
  webgpuLstm: typeof import('../../src/index.js');
  /** A backend a script keeps open in the page between evaluate calls. */
  benchBackend?: any;
}

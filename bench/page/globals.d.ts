// Types for the bench page's JavaScript, which bench/tsconfig.json type-checks (checkJs).

interface Window {
  /** What the Node runner drives (bench/page/main.js). */
  bench: typeof import('./main.js').bench;
  /** Set once main.js has installed `bench`. */
  benchReady?: boolean;
}

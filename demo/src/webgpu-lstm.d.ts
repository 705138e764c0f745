// tsc resolves the bare name 'webgpu-lstm' to this package's own build output (dist/), which has
// no types until `npm run build` and may be stale. Vite aliases the name to src/index.ts (see
// ../vite.config.ts); this declaration makes tsc agree, for the part of the API the demo uses.
// Relative re-exports are not allowed in an ambient module, so each name is listed.
declare module 'webgpu-lstm' {
  type Api = typeof import('../../src/index.js');

  export const LSTM: Api['LSTM'];
  export type LSTM = import('../../src/index.js').LSTM;
  export const LstmError: Api['LstmError'];
  export type LstmError = import('../../src/index.js').LstmError;
  export const createBackend: Api['createBackend'];
  export const modelFromScalarGates: Api['modelFromScalarGates'];
  export const compareResults: Api['compareResults'];
  export const kDefaultTolerance: Api['kDefaultTolerance'];

  export type AdapterSummary = import('../../src/index.js').AdapterSummary;
  export type Backend = import('../../src/index.js').Backend;
  export type BackendKind = import('../../src/index.js').BackendKind;
  export type ForwardResult = import('../../src/index.js').ForwardResult;
  export type LstmConfig = import('../../src/index.js').LstmConfig;
  export type Runner = import('../../src/index.js').Runner;
  export type ScalarGates = import('../../src/index.js').ScalarGates;
  export type TraceEntry = import('../../src/index.js').TraceEntry;
}

declare module 'webgpu-lstm' {
  type Lib = typeof import('../../src/index.js');
  export const LSTM: Lib['LSTM'];
  export type LSTM = import('../../src/index.js').LSTM;
}

// webgpu-lstm's public API. Everything a user imports comes from here.
export { LSTM, type RandomInit } from './model/lstm.js';
export type { LstmConfig, LstmConfigInput } from './model/config.js';
export { paramSpecs, paramName, kGates, type ParamSpec } from './model/params.js';
export { modelFromJSON, modelToJSON, type ModelJSON } from './model/json.js';
export { modelFromGates, modelFromScalarGates, type GateMatrices, type ScalarGates } from './model/gates.js';
export { parseTensor, tensorToJSON, type Tensor, type FloatArray } from './model/tensor.js';
export { createBackend, type Backend, type BackendKind, type BackendOptions, type BackendPreference, type Runner } from './api/backend.js';
export type { ForwardOptions } from './api/forward-input.js';
export type { ForwardResult, ForwardStats, TraceEntry } from './api/result.js';
export { compareResults, kDefaultTolerance, type Tolerance, type TensorError, type VerifyReport } from './api/compare.js';
export { verify, type VerifyOptions } from './api/verify.js';
export { LstmError, type LstmErrorCode } from './api/errors.js';
export { cell } from './cpu/single-step.js';
export type { CellStep } from './cpu/cell.js';
export type { AdapterSummary } from './gpu/context.js';

/// <reference types="@webgpu/types" preserve="true" />
// webgpu-lstm's public API. Everything a user imports comes from here.
export { LSTM, type RandomInit, type ModelOptions } from './model/lstm.js';
export type { HeadConfig, HeadConfigInput, DenseLayerConfig, Activation, HeadOver } from './model/head.js';
export type { InitScheme } from './model/initializers.js';
export { Trainer } from './api/train/trainer.js';
export type * from './api/train/types.js';
export type { LossKind, OptimizerKind, OptimizerSettings, TrainingSetup } from './core/training.js';
export type { LstmConfig, LstmConfigInput } from './model/config.js';
export { paramSpecs, paramName, kGates, type ParamSpec } from './model/params.js';
export { modelFromJSON, modelToJSON, type ModelJSON, type ModelImportOptions } from './formats/model-json.js';
export { inputFromJSON, type InputImportOptions, type ParsedInput } from './formats/input-json.js';
export { modelFromGates, modelFromScalarGates, type GateMatrices, type ScalarGates } from './formats/gates.js';
export { parseTensor, tensorToJSON } from './formats/tensor-json.js';
export { kGateOrders, permuteGateBlocks, type Gate, type GateOrderName } from './formats/gate-order.js';
export type { Tensor, FloatArray } from './core/tensor.js';
export { createBackend, type Backend, type BackendKind, type BackendOptions, type BackendPreference, type Runner } from './api/backend.js';
export type { ForwardOptions } from './core/forward-options.js';
export type { NonFinitePolicy } from './core/non-finite.js';
export type { ForwardResult, ForwardStats, ResultStats, TraceEntry } from './core/results.js';
export { compareResults, kDefaultTolerance, type Tolerance, type TensorError, type VerifyReport } from './api/compare.js';
export { verify, type VerifyOptions } from './api/verify.js';
export { LstmError, type LstmErrorCode } from './core/errors.js';
export { cell } from './cpu/single-step.js';
export type { CellStep } from './cpu/cell.js';
export type { AdapterSummary } from './gpu/context.js';
export type { ForwardLimits, RequestedLimits } from './gpu/limits.js';
export type { DeviceLoss } from './gpu/device-lost.js';
export type { RunnerOptions } from './gpu/runner.js';

// ONNX Runtime Web through its WebGPU bundle (the one whose native WebGPU execution provider has an
// LSTM kernel), on the 'webgpu' or the 'wasm' execution provider. The model is written in-page.
import { onnxLayerWeights } from '../convert-weights.js';
import { onnxToTimeMajor } from '../layout.js';
import { lstmModelBytes } from '../onnx/lstm-model.js';

/** @type {Promise<any>|null} */
let ortModule = null;
/** @type {any} */
let loadedOrt = null;

/** @param {{ threads: number }} options */
function loadOrt(options) {
  // @ts-expect-error the bench server serves onnxruntime-web's dist/ at /ort/; the peer is used untyped.
  ortModule ??= import('/ort/ort.webgpu.min.mjs').then((ort) => {
    ort.env.wasm.wasmPaths = '/ort/';
    ort.env.wasm.numThreads = options.threads;
    loadedOrt = ort;
    return ort;
  });
  return ortModule;
}

/** The wasm thread count ONNX Runtime was started with, or null before it is loaded. */
export function ortThreads() {
  return loadedOrt?.env.wasm.numThreads ?? null;
}

/**
 * @param {any} lib @param {import('../workload.js').Workload} workload
 * @param {'webgpu'|'wasm'} executionProvider @param {{ threads: number }} options
 * @returns {Promise<import('./index.js').BenchRunner>}
 */
export async function openOrt(lib, workload, executionProvider, options) {
  const ort = await loadOrt(options);
  const { batch: B, steps: T, inputSize: I, hiddenSize: H, layers: L } = workload.shape;
  const layers = Array.from({ length: L }, (_, k) => onnxLayerWeights(lib, workload.model, k));
  const session = await ort.InferenceSession.create(lstmModelBytes(workload.shape, layers), {
    executionProviders: [executionProvider],
    graphOptimizationLevel: 'all',
    // Fail rather than silently run a node on the CPU when the WebGPU provider is asked for;
    // idle pool threads sleep instead of spinning, so they do not slow the next library timed.
    extra: { session: { disable_cpu_ep_fallback: executionProvider === 'webgpu' ? '1' : '0', intra_op: { allow_spinning: '0' } } },
  });
  return {
    async run() {
      const outputs = await session.run({ X: new ort.Tensor('float32', workload.x, [T, B, I]) });
      return outputs.Y.data;
    },
    timeMajor: (y) => onnxToTimeMajor(y, T, workload.directions, B, H),
    stats: () => null,
    dispose: () => void session.release(),
  };
}

// The same weights in each peer's layout, from the model's PyTorch parameters
// (weight_ih [4H, I], weight_hh [4H, H], bias_ih and bias_hh [4H], gate blocks i, f, g, o).

/** ONNX orders the gate blocks i, o, f, c: for each ONNX block, the PyTorch block it takes. */
const kTorchBlockOfOnnxBlock = [0, 3, 1, 2];

/** Row-major [rows, cols] → [cols, rows], as float32. @param {Float64Array} m @param {number} rows @param {number} cols */
function transpose(m, rows, cols) {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
  return out;
}

/**
 * Keras / TensorFlow.js weights of one layer and direction: kernel [I_k, 4H] = weight_ihᵀ,
 * recurrent_kernel [H, 4H] = weight_hhᵀ, bias [4H] = bias_ih + bias_hh (gate order i, f, c, o = PyTorch's).
 * @param {any} lib the library's API @param {any} model an LSTM @param {number} layer @param {number} direction
 * @returns {{ kernel: Float32Array, recurrent: Float32Array, bias: Float32Array, inputWidth: number }}
 */
export function kerasWeights(lib, model, layer, direction) {
  const H = model.config.hiddenSize;
  const wih = model.param(lib.paramName('weight_ih', layer, direction));
  const inputWidth = wih.length / (4 * H);
  const bih = model.param(lib.paramName('bias_ih', layer, direction));
  const bhh = model.param(lib.paramName('bias_hh', layer, direction));
  return {
    kernel: transpose(wih, 4 * H, inputWidth),
    recurrent: transpose(model.param(lib.paramName('weight_hh', layer, direction)), 4 * H, H),
    bias: Float32Array.from(bih, (v, i) => v + bhh[i]),
    inputWidth,
  };
}

/** Copies the four [H, cols] gate blocks of a PyTorch matrix or bias into ONNX order at out[offset]. */
function reorderGates(source, H, cols, out, offset) {
  const block = H * cols;
  kTorchBlockOfOnnxBlock.forEach((torchBlock, onnxBlock) => {
    out.set(source.subarray(torchBlock * block, (torchBlock + 1) * block), offset + onnxBlock * block);
  });
}

/**
 * ONNX LSTM initializers of one layer, both directions stacked: W [D, 4H, I_k], R [D, 4H, H],
 * B [D, 8H] (input biases, then recurrent biases), gate blocks reordered to i, o, f, c.
 * @param {any} lib @param {any} model @param {number} layer
 * @returns {{ W: Float32Array, R: Float32Array, B: Float32Array }}
 */
export function onnxLayerWeights(lib, model, layer) {
  const H = model.config.hiddenSize;
  const D = model.config.bidirectional ? 2 : 1;
  const inputWidth = model.param(lib.paramName('weight_ih', layer, 0)).length / (4 * H);
  const W = new Float32Array(D * 4 * H * inputWidth);
  const R = new Float32Array(D * 4 * H * H);
  const B = new Float32Array(D * 8 * H);
  for (let d = 0; d < D; d++) {
    const f32 = (kind) => Float32Array.from(model.param(lib.paramName(kind, layer, d)));
    reorderGates(f32('weight_ih'), H, inputWidth, W, d * 4 * H * inputWidth);
    reorderGates(f32('weight_hh'), H, H, R, d * 4 * H * H);
    reorderGates(f32('bias_ih'), H, 1, B, d * 8 * H);
    reorderGates(f32('bias_hh'), H, 1, B, d * 8 * H + 4 * H);
  }
  return { W, R, B };
}

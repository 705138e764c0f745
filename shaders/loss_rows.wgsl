// Each prediction row's loss (summed over its features, divided by n) and the loss's gradient, one invocation
// per row; reduce_sum.wgsl then adds the rows in a fixed order. With d = p − y and n the count of
// elements that count (rows for cross-entropy), as src/cpu/losses.ts (docs/training.md, Losses):
//   0 mse  d², 2d/n      1 mae  |d|, sign(d)/n      2 huber  ½d² or |d| − ½, clamp(d, −1, 1)/n
//   3 binary-cross-entropy on logits z: max(z, 0) − z·y + log(1 + e^−|z|), (σ(z) − y)/n
//   4 cross-entropy on logits z, label c: logsumexp(z) − z_c, (softmax(z) − onehot(c))/n
//     (the last layer's softmax or log_softmax folded in: for log_softmax this is nn.NLLLoss)
// Over 'sequence' with lengths, row t·B + b counts while t < lengths[b]; others get zero.

struct Dims {
  rows: u32,
  width: u32,          // O
  kind: u32,
  batch: u32,          // B
  masked: u32,         // 1: over 'sequence', rows past a sequence's length do not count
  inv_count: u32,      // f32 bits of 1/n
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> lengths: array<u32>;          // [B]
@group(0) @binding(2) var<storage, read> values: array<f32>;           // [rows, O] prediction, or logits
@group(0) @binding(3) var<storage, read> targets: array<f32>;          // [rows, O], or [rows] labels
@group(0) @binding(4) var<storage, read_write> row_loss: array<f32>;   // [rows]
@group(0) @binding(5) var<storage, read_write> gradient: array<f32>;   // [rows, O]

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let r = id.x + id.y * groups.x * 64u;
  if (r >= dims.rows) { return; }
  let width = dims.width;
  let base = r * width;
  let counts = dims.masked == 0u || r / dims.batch < lengths[r % dims.batch];
  if (!counts) {
    row_loss[r] = 0.0;
    for (var j = 0u; j < width; j++) { gradient[base + j] = 0.0; }
    return;
  }
  let scale = bitcast<f32>(dims.inv_count);
  var sum = 0.0;
  if (dims.kind == 4u) {
    var top = -3.4e38;
    for (var j = 0u; j < width; j++) { top = max(top, values[base + j]); }
    var total = 0.0;
    for (var j = 0u; j < width; j++) { total += exp(values[base + j] - top); }
    let log_sum_exp = top + log(total);
    let label = u32(targets[r]);
    for (var j = 0u; j < width; j++) {
      let p = exp(values[base + j] - log_sum_exp);
      gradient[base + j] = (p - select(0.0, 1.0, j == label)) * scale;
    }
    row_loss[r] = (log_sum_exp - values[base + label]) * scale;
    return;
  }
  for (var j = 0u; j < width; j++) {
    let p = values[base + j];
    let y = targets[base + j];
    let d = p - y;
    var value = 0.0;
    var slope = 0.0;
    switch dims.kind {
      case 0u: { value = d * d; slope = 2.0 * d; }
      case 1u: { value = abs(d); slope = sign(d); }
      case 2u: {
        value = select(abs(d) - 0.5, 0.5 * d * d, abs(d) <= 1.0);
        slope = clamp(d, -1.0, 1.0);
      }
      default: {
        value = max(p, 0.0) - p * y + log(1.0 + exp(-abs(p)));
        slope = sigmoid_stable(p) - y;
      }
    }
    sum += value;
    gradient[base + j] = slope * scale;
  }
  row_loss[r] = sum * scale;
}

// The global gradient norm of clip_grad_norm_, overflow-safe, and the count of non-finite
// gradients, in one workgroup and deterministically (fixed order, no atomics):
//   s = max |g| over the finite g;  ‖g‖ = s · √(Σ (g / s)²)
// Σ g² itself overflows float32 once ‖g‖ passes ≈ 1.8e19 although every g is finite (then
// max_norm / ‖g‖ = 0 and the clipped step would change nothing); scaled by s first, every term is
// ≤ 1 and the sum ≤ count. A value is non-finite by its bits (exponent all ones), since WGSL lets
// an implementation assume that no NaN or infinity exists.
// result[0] = ‖g‖ over the finite g, result[1] = how many g are NaN or ±Infinity.

struct Dims {
  count: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> values: array<f32>;
@group(0) @binding(2) var<storage, read_write> result: array<f32>;

const kThreads = 256u;

var<workgroup> partial: array<f32, kThreads>;
var<workgroup> bad: array<u32, kThreads>;

fn is_finite(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

@compute @workgroup_size(kThreads)
fn main(@builtin(local_invocation_index) k: u32) {
  var largest = 0.0;
  var count = 0u;
  for (var i = k; i < dims.count; i += kThreads) {
    let v = values[i];
    if (is_finite(v)) { largest = max(largest, abs(v)); } else { count += 1u; }
  }
  partial[k] = largest;
  bad[k] = count;
  workgroupBarrier();
  for (var stride = kThreads / 2u; stride > 0u; stride /= 2u) {
    if (k < stride) {
      partial[k] = max(partial[k], partial[k + stride]);
      bad[k] += bad[k + stride];
    }
    workgroupBarrier();
  }
  let s = partial[0];
  let nonfinite = bad[0];
  workgroupBarrier();
  var sum = 0.0;
  if (s > 0.0) {
    for (var i = k; i < dims.count; i += kThreads) {
      let v = values[i];
      if (is_finite(v)) {
        let r = v / s;
        sum += r * r;
      }
    }
  }
  partial[k] = sum;
  workgroupBarrier();
  for (var stride = kThreads / 2u; stride > 0u; stride /= 2u) {
    if (k < stride) { partial[k] += partial[k + stride]; }
    workgroupBarrier();
  }
  if (k == 0u) {
    result[0] = s * sqrt(partial[0]);
    result[1] = f32(nonfinite);
  }
}

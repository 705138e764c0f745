// A deterministic sum in one workgroup, without atomics: invocation k adds elements k, k + 256,
// k + 512, ... in order, then the 256 partial sums are added pairwise in a fixed tree. The same
// inputs always give the same bits. Used for the loss (Σ row losses / n) and for the gradient
// norm of clip_grad_norm_ (Σ g², squared here).

struct Dims {
  count: u32,
  offset: u32,     // first element
  square: u32,     // 1: sum the squares
  scale: u32,      // f32 bits: the sum is multiplied by this
  out_index: u32,  // where in result
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> values: array<f32>;
@group(0) @binding(2) var<storage, read_write> result: array<f32>;

const kThreads = 256u;

var<workgroup> partial: array<f32, kThreads>;

@compute @workgroup_size(kThreads)
fn main(@builtin(local_invocation_index) k: u32) {
  var sum = 0.0;
  for (var i = k; i < dims.count; i += kThreads) {
    let v = values[dims.offset + i];
    sum += select(v, v * v, dims.square == 1u);
  }
  partial[k] = sum;
  workgroupBarrier();
  for (var stride = kThreads / 2u; stride > 0u; stride /= 2u) {
    if (k < stride) { partial[k] += partial[k + stride]; }
    workgroupBarrier();
  }
  if (k == 0u) { result[dims.out_index] = partial[0] * bitcast<f32>(dims.scale); }
}

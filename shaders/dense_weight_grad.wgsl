// A dense layer's parameter gradients, summed over rows in order (no atomics, so the same bits
// every call): invocation (i, o) computes
//   ∂W[o, i] = Σ_r dz[r, o] · x[r, i]         and, for i = in, ∂b[o] = Σ_r dz[r, o]
// into the gradient buffer at the offsets of W and b (nn.Linear's layout).

struct Dims {
  rows: u32,
  inner: u32,      // in
  outs: u32,       // out
  w_offset: u32,
  b_offset: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dz: array<f32>;           // [rows, out]
@group(0) @binding(2) var<storage, read> x: array<f32>;            // [rows, in]
@group(0) @binding(3) var<storage, read_write> grads: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  let o = id.y;
  let n = dims.inner;
  if (i > n || o >= dims.outs) { return; }
  var sum = 0.0;
  if (i == n) {
    for (var r = 0u; r < dims.rows; r++) { sum += dz[r * dims.outs + o]; }
    grads[dims.b_offset + o] = sum;
    return;
  }
  for (var r = 0u; r < dims.rows; r++) { sum = fma(dz[r * dims.outs + o], x[r * n + i], sum); }
  grads[dims.w_offset + o * n + i] = sum;
}

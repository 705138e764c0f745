// The left operand of a layer-direction's weight-gradient GEMM (lstm_weight_grad.wgsl), one row
// per (t, b), m = t·B + b, in whole vec4s of four consecutive k (Q = ⌈(K + 1)/4⌉ per row):
//   mode 0 (input):     A[m, k] = x[m, k] for k < K, 1 at k = K (the bias row), 0 after
//   mode 1 (recurrent): A[m, k] = h_{t−1}[b, k] for k < K = H, 0 after
// where h_{t−1} is the state step t started from: this direction's h at t − 1 (forward) or t + 1
// (reverse) while that step is valid, else h0. Gathered once here, the GEMM reads plain rows and
// never recomputes a row's source (a division, a modulo and a lengths lookup per element before).

struct Dims {
  rows: u32,         // M = T·B
  inner: u32,        // K
  quads: u32,        // Q
  batch: u32,        // B
  mode: u32,
  out_stride: u32,   // D·H: a row of the layer's output (mode 1)
  out_offset: u32,   // direction·H
  reverse: u32,
  units: u32,        // H
  state_base: u32,   // ld·B·H: this layer-direction's h0
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> x: array<f32>;          // mode 0: [M, K]; mode 1: the layer's output [T, B, D·H]
@group(0) @binding(2) var<storage, read> h0: array<f32>;         // [L·D, B, H]
@group(0) @binding(3) var<storage, read> lengths: array<u32>;    // [B]
@group(0) @binding(4) var<storage, read_write> a: array<vec4<f32>>; // [M, Q]

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let index = id.x + id.y * groups.x * 64u;
  let Q = dims.quads;
  if (index >= dims.rows * Q) { return; }
  let m = index / Q;
  let k0 = 4u * (index % Q);
  let K = dims.inner;
  var value = vec4<f32>(0.0);
  if (dims.mode == 0u) {
    for (var i = 0u; i < 4u; i++) {
      let k = k0 + i;
      if (k < K) { value[i] = x[m * K + k]; } else if (k == K) { value[i] = 1.0; }
    }
    a[index] = value;
    return;
  }
  let B = dims.batch;
  let t = m / B;
  let b = m % B;
  var has_prev = t > 0u;
  var t_prev = t - 1u;
  if (dims.reverse == 1u) {
    has_prev = t + 1u < lengths[b];
    t_prev = t + 1u;
  }
  let from_output = (t_prev * B + b) * dims.out_stride + dims.out_offset;
  let from_h0 = dims.state_base + b * dims.units;
  for (var i = 0u; i < 4u; i++) {
    let k = k0 + i;
    if (k >= K) { break; }
    if (has_prev) { value[i] = x[from_output + k]; } else { value[i] = h0[from_h0 + k]; }
  }
  a[index] = value;
}

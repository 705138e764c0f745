// One layer-direction's weight gradients as GEMMs over all T·B rows at once, in the packed
// layout the forward reads (element [k, u] = the four gates of unit u at input k, a vec4):
//   mode 0 (input):     ∂W_ih[k, u] = Σ_m x[m, k] · dz[m, u]       and row k = K: ∂b[u] = Σ_m dz[m, u]
//   mode 1 (recurrent): ∂W_hh[k, u] = Σ_m h_{t−1}[m, k] · dz[m, u]
// where m = t·B + b and h_{t−1} is the state step t started from: this direction's h at t − 1
// (forward) or t + 1 (reverse) while that step is valid, else h0. dz is zero past each length,
// so those rows add nothing. Rows are summed in order (no atomics): the same bits every call.
// One invocation holds a block of 4 k × 2 u in named registers (8 vec4 accumulators): per row
// 4 x loads and 2 dz loads feed 8 vec4 FMAs.

struct Dims {
  rows: u32,          // M = T·B
  inner: u32,         // K: I_l (input) or H (recurrent)
  units: u32,         // H
  batch: u32,         // B
  mode: u32,
  w_offset: u32,      // first vec4 of ∂W in grads
  bias_ih: u32,       // first vec4 of ∂b_ih in grads
  bias_hh: u32,       // first vec4 of ∂b_hh in grads
  bias_count: u32,    // 0: no bias gradient; 1: b_ih only (singleBias); 2: both (they are equal)
  out_stride: u32,    // D·H: a row of the layer's output (mode 1)
  out_offset: u32,    // direction·H
  reverse: u32,
  state_base: u32,    // ld·B·H: this layer-direction's h0
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> x: array<f32>;           // mode 0: [M, K]; mode 1: the layer's output [T, B, D·H]
@group(0) @binding(2) var<storage, read> h0: array<f32>;          // [L·D, B, H]
@group(0) @binding(3) var<storage, read> lengths: array<u32>;     // [B]
@group(0) @binding(4) var<storage, read> dz: array<vec4<f32>>;    // [M, H]
@group(0) @binding(5) var<storage, read_write> grads: array<vec4<f32>>;

const kThreadsU = 16u;   // unit pairs per workgroup: 32 units
const kThreadsK = 4u;    // k quads per workgroup: 16 rows of ∂W

// Row m's value at k: x, the previous state, or 1 for the bias row k = K (mode 0); 0 past the end.
fn source(m: u32, k: u32) -> f32 {
  let K = dims.inner;
  if (k > K || (k == K && dims.mode == 1u)) { return 0.0; }
  if (k == K) { return 1.0; }
  if (dims.mode == 0u) { return x[m * K + k]; }
  let B = dims.batch;
  let t = m / B;
  let b = m % B;
  var has_prev = t > 0u;
  var t_prev = t - 1u;
  if (dims.reverse == 1u) {
    has_prev = t + 1u < lengths[b];
    t_prev = t + 1u;
  }
  if (has_prev) { return x[(t_prev * B + b) * dims.out_stride + dims.out_offset + k]; }
  return h0[dims.state_base + b * dims.units + k];
}

@compute @workgroup_size(kThreadsU, kThreadsK)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let H = dims.units;
  let u = 2u * id.x;
  let k0 = 4u * id.y;
  let rows_k = dims.inner + select(0u, 1u, dims.mode == 0u);
  if (u >= H || k0 >= rows_k) { return; }
  let v = min(u + 1u, H - 1u);
  var a0 = vec4<f32>(0.0); var a1 = vec4<f32>(0.0); var a2 = vec4<f32>(0.0); var a3 = vec4<f32>(0.0);
  var c0 = vec4<f32>(0.0); var c1 = vec4<f32>(0.0); var c2 = vec4<f32>(0.0); var c3 = vec4<f32>(0.0);
  for (var m = 0u; m < dims.rows; m++) {
    let du = dz[m * H + u];
    let dv = dz[m * H + v];
    let s0 = vec4<f32>(source(m, k0));
    let s1 = vec4<f32>(source(m, k0 + 1u));
    let s2 = vec4<f32>(source(m, k0 + 2u));
    let s3 = vec4<f32>(source(m, k0 + 3u));
    a0 = fma(s0, du, a0); a1 = fma(s1, du, a1); a2 = fma(s2, du, a2); a3 = fma(s3, du, a3);
    c0 = fma(s0, dv, c0); c1 = fma(s1, dv, c1); c2 = fma(s2, dv, c2); c3 = fma(s3, dv, c3);
  }
  store(k0, u, a0, c0);
  store(k0 + 1u, u, a1, c1);
  store(k0 + 2u, u, a2, c2);
  store(k0 + 3u, u, a3, c3);
}

fn store(k: u32, u: u32, at_u: vec4<f32>, at_next: vec4<f32>) {
  let H = dims.units;
  let K = dims.inner;
  let has_next = u + 1u < H;
  if (k < K) {
    grads[dims.w_offset + k * H + u] = at_u;
    if (has_next) { grads[dims.w_offset + k * H + u + 1u] = at_next; }
    return;
  }
  if (k > K || dims.mode == 1u || dims.bias_count == 0u) { return; }
  grads[dims.bias_ih + u] = at_u;
  if (has_next) { grads[dims.bias_ih + u + 1u] = at_next; }
  if (dims.bias_count == 2u) {
    grads[dims.bias_hh + u] = at_u;
    if (has_next) { grads[dims.bias_hh + u + 1u] = at_next; }
  }
}

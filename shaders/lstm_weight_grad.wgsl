// One layer-direction's weight gradients as a GEMM over all T·B rows at once, in the packed
// layout the forward reads (element [k, u] = the four gates of unit u at input k, a vec4):
//   ∂W[k, u] = Σ_m A[m, k] · dz[m, u]
// with A from weight_grad_source.wgsl: x and a ones column (mode 0: ∂W_ih, and row k = K is
// ∂b[u] = Σ_m dz[m, u]) or h_{t−1} (mode 1: ∂W_hh). dz is zero past each length, so those rows
// add nothing. Rows are summed in order (no atomics): the same bits every call.
// One invocation holds a block of 4 k × 4 u in named registers (16 vec4 accumulators): per row
// one vec4 load of A and four dz loads feed 16 vec4 FMAs.

struct Dims {
  rows: u32,          // M = T·B
  inner: u32,         // K: I_l (input) or H (recurrent)
  quads: u32,         // Q: vec4s per row of A
  units: u32,         // H
  mode: u32,
  w_offset: u32,      // first vec4 of ∂W in grads
  bias_ih: u32,       // first vec4 of ∂b_ih in grads
  bias_hh: u32,       // first vec4 of ∂b_hh in grads
  bias_count: u32,    // 0: no bias gradient; 1: b_ih only (singleBias); 2: both (they are equal)
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> a: array<vec4<f32>>;     // [M, Q]
@group(0) @binding(2) var<storage, read> dz: array<vec4<f32>>;    // [M, H]
@group(0) @binding(3) var<storage, read_write> grads: array<vec4<f32>>;

const kThreadsU = 8u;   // unit quads per workgroup: 32 units
const kThreadsK = 8u;   // k quads per workgroup: 32 rows of ∂W

@compute @workgroup_size(kThreadsU, kThreadsK)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let H = dims.units;
  let Q = dims.quads;
  let u0 = 4u * id.x;
  let q = id.y;
  if (u0 >= H || q >= Q) { return; }
  // Units past H repeat the last one (read, never stored).
  let u1 = min(u0 + 1u, H - 1u);
  let u2 = min(u0 + 2u, H - 1u);
  let u3 = min(u0 + 3u, H - 1u);
  var a00 = vec4<f32>(0.0); var a01 = vec4<f32>(0.0); var a02 = vec4<f32>(0.0); var a03 = vec4<f32>(0.0);
  var a10 = vec4<f32>(0.0); var a11 = vec4<f32>(0.0); var a12 = vec4<f32>(0.0); var a13 = vec4<f32>(0.0);
  var a20 = vec4<f32>(0.0); var a21 = vec4<f32>(0.0); var a22 = vec4<f32>(0.0); var a23 = vec4<f32>(0.0);
  var a30 = vec4<f32>(0.0); var a31 = vec4<f32>(0.0); var a32 = vec4<f32>(0.0); var a33 = vec4<f32>(0.0);
  for (var m = 0u; m < dims.rows; m++) {
    let s = a[m * Q + q];
    let r = m * H;
    let d0 = dz[r + u0];
    let d1 = dz[r + u1];
    let d2 = dz[r + u2];
    let d3 = dz[r + u3];
    let sx = vec4<f32>(s.x);
    let sy = vec4<f32>(s.y);
    let sz = vec4<f32>(s.z);
    let sw = vec4<f32>(s.w);
    a00 = fma(sx, d0, a00); a01 = fma(sx, d1, a01); a02 = fma(sx, d2, a02); a03 = fma(sx, d3, a03);
    a10 = fma(sy, d0, a10); a11 = fma(sy, d1, a11); a12 = fma(sy, d2, a12); a13 = fma(sy, d3, a13);
    a20 = fma(sz, d0, a20); a21 = fma(sz, d1, a21); a22 = fma(sz, d2, a22); a23 = fma(sz, d3, a23);
    a30 = fma(sw, d0, a30); a31 = fma(sw, d1, a31); a32 = fma(sw, d2, a32); a33 = fma(sw, d3, a33);
  }
  let k0 = 4u * q;
  store_row(k0, u0, a00, a01, a02, a03);
  store_row(k0 + 1u, u0, a10, a11, a12, a13);
  store_row(k0 + 2u, u0, a20, a21, a22, a23);
  store_row(k0 + 3u, u0, a30, a31, a32, a33);
}

// Row k of the block (units u0 … u0 + 3, those below H): ∂W's row, or the bias row k = K in mode 0.
fn store_row(k: u32, u0: u32, g0: vec4<f32>, g1: vec4<f32>, g2: vec4<f32>, g3: vec4<f32>) {
  store(k, u0, g0);
  store(k, u0 + 1u, g1);
  store(k, u0 + 2u, g2);
  store(k, u0 + 3u, g3);
}

fn store(k: u32, u: u32, g: vec4<f32>) {
  let H = dims.units;
  let K = dims.inner;
  if (u >= H) { return; }
  if (k < K) {
    grads[dims.w_offset + k * H + u] = g;
    return;
  }
  if (k > K || dims.mode == 1u || dims.bias_count == 0u) { return; }
  grads[dims.bias_ih + u] = g;
  if (dims.bias_count == 2u) { grads[dims.bias_hh + u] = g; }
}

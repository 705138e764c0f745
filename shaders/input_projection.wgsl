// Input projection of every time step at once, with both biases folded in:
//   G[m, u] = bias[u] + Σ_k X[m, k] · W[k, u]       m = t·B + b over all T·B rows
// where each element of G and W is a vec4 holding the four gates (i, f, g, o) of hidden unit u.
//
// One invocation computes a 4-row × 2-unit block (32 outputs) in named registers: each W load
// feeds four vec4 FMAs and each x load two. No workgroup memory and no barriers: on SwiftShader a barrier turns every
// invocation group into a coroutine, which cost 3× the time of this form on small shapes (and 20%
// on large ones), while loads of X and W rows hit the cache either way.

struct Dims {
  rows: u32,    // M = T·B
  inner: u32,   // K = I (layer 0) or D·H (stacked layers)
  units: u32,   // H
  _pad: u32,    // uniform structs are read in 16-byte rows
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> x: array<f32>;                 // [M, K] row-major
@group(0) @binding(2) var<storage, read> w: array<vec4<f32>>;           // [K, H] gates of unit u at [k, u]
@group(0) @binding(3) var<storage, read> bias: array<vec4<f32>>;        // [H] b_ih + b_hh per unit
@group(0) @binding(4) var<storage, read_write> g: array<vec4<f32>>;     // [M, H]

const kRowsPerThread = 4u;
const kThreadsU = 16u;   // unit pairs per workgroup: 32 units
const kThreadsM = 4u;    // row groups per workgroup: 16 rows

@compute @workgroup_size(kThreadsU, kThreadsM)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  // Units u and u + 1: one x load feeds both, one W load feeds four rows.
  let u = 2u * id.x;
  let row0 = id.y * kRowsPerThread;
  if (u >= dims.units || row0 >= dims.rows) { return; }
  let H = dims.units;
  // Rows past the end repeat the last row, a unit past the end repeats the last unit: their
  // sums are computed and never stored.
  let last = dims.rows - 1u;
  let v = min(u + 1u, H - 1u);
  let x0 = row0 * dims.inner;
  let x1 = min(row0 + 1u, last) * dims.inner;
  let x2 = min(row0 + 2u, last) * dims.inner;
  let x3 = min(row0 + 3u, last) * dims.inner;
  let bu = bias[u];
  let bv = bias[v];
  var a0 = bu;
  var a1 = bu;
  var a2 = bu;
  var a3 = bu;
  var c0 = bv;
  var c1 = bv;
  var c2 = bv;
  var c3 = bv;
  for (var k = 0u; k < dims.inner; k++) {
    let wu = w[k * H + u];
    let wv = w[k * H + v];
    let s0 = vec4<f32>(x[x0 + k]);
    let s1 = vec4<f32>(x[x1 + k]);
    let s2 = vec4<f32>(x[x2 + k]);
    let s3 = vec4<f32>(x[x3 + k]);
    a0 = fma(s0, wu, a0);
    a1 = fma(s1, wu, a1);
    a2 = fma(s2, wu, a2);
    a3 = fma(s3, wu, a3);
    c0 = fma(s0, wv, c0);
    c1 = fma(s1, wv, c1);
    c2 = fma(s2, wv, c2);
    c3 = fma(s3, wv, c3);
  }
  store(row0, u, a0, c0);
  store(row0 + 1u, u, a1, c1);
  store(row0 + 2u, u, a2, c2);
  store(row0 + 3u, u, a3, c3);
}

fn store(row: u32, u: u32, at_u: vec4<f32>, at_next: vec4<f32>) {
  if (row >= dims.rows) { return; }
  g[row * dims.units + u] = at_u;
  if (u + 1u < dims.units) { g[row * dims.units + u + 1u] = at_next; }
}

// Input projection of every time step at once, with both biases folded in:
//   G[m, u] = bias[u] + Σ_k X[m, k] · W[k, u]       m = t·B + b over all T·B rows
// where each element of G and W is a vec4 holding the four gates (i, f, g, o) of hidden unit u.
//
// One invocation computes a 4-row × 1-unit block (16 outputs) in named registers: each W load
// feeds four vec4 FMAs. No workgroup memory and no barriers: on SwiftShader a barrier turns every
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
const kThreadsU = 16u;   // units per workgroup
const kThreadsM = 4u;    // row groups per workgroup: 16 rows

@compute @workgroup_size(kThreadsU, kThreadsM)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let unit = id.x;
  let row0 = id.y * kRowsPerThread;
  if (unit >= dims.units || row0 >= dims.rows) { return; }
  // Rows past the end repeat the last row: their sums are computed and never stored.
  let last = dims.rows - 1u;
  let x0 = row0 * dims.inner;
  let x1 = min(row0 + 1u, last) * dims.inner;
  let x2 = min(row0 + 2u, last) * dims.inner;
  let x3 = min(row0 + 3u, last) * dims.inner;
  let b = bias[unit];
  var acc0 = b;
  var acc1 = b;
  var acc2 = b;
  var acc3 = b;
  for (var k = 0u; k < dims.inner; k++) {
    let wk = w[k * dims.units + unit];
    acc0 = fma(vec4<f32>(x[x0 + k]), wk, acc0);
    acc1 = fma(vec4<f32>(x[x1 + k]), wk, acc1);
    acc2 = fma(vec4<f32>(x[x2 + k]), wk, acc2);
    acc3 = fma(vec4<f32>(x[x3 + k]), wk, acc3);
  }
  g[row0 * dims.units + unit] = acc0;
  if (row0 + 1u < dims.rows) { g[(row0 + 1u) * dims.units + unit] = acc1; }
  if (row0 + 2u < dims.rows) { g[(row0 + 2u) * dims.units + unit] = acc2; }
  if (row0 + 3u < dims.rows) { g[(row0 + 3u) * dims.units + unit] = acc3; }
}

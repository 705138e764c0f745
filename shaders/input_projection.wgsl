// Input projection of every time step at once, with both biases folded in:
//   G[m, u] = bias[u] + Σ_k X[m, k] · W[k, u]       m = t·B + b over all T·B rows
// where each element of G and W is a vec4 holding the four gates (i, f, g, o) of hidden unit u.
// One invocation computes a 4-row × 1-unit block (16 outputs) in named registers; the workgroup
// stages a 64-row × 16-unit tile of X and W through workgroup memory, kTileK columns at a time.

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
const kThreadsU = 16u;                 // units per workgroup
const kThreadsM = 16u;                 // row groups per workgroup
const kTileM = kThreadsM * kRowsPerThread; // 64 rows per workgroup
const kTileK = 16u;

var<workgroup> x_tile: array<array<f32, kTileK>, kTileM>;
var<workgroup> w_tile: array<array<vec4<f32>, kThreadsU>, kTileK>;

@compute @workgroup_size(kThreadsU, kThreadsM)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let unit = wg.x * kThreadsU + lid.x;
  let row0 = wg.y * kTileM + lid.y * kRowsPerThread;
  let local_index = lid.y * kThreadsU + lid.x; // 0..255

  var bias_u = vec4<f32>(0.0);
  if (unit < dims.units) { bias_u = bias[unit]; }
  var acc0 = bias_u;
  var acc1 = bias_u;
  var acc2 = bias_u;
  var acc3 = bias_u;

  for (var k0 = 0u; k0 < dims.inner; k0 += kTileK) {
    // Stage X[64 rows, 16 k]: 1024 values, 4 per invocation.
    for (var i = 0u; i < 4u; i++) {
      let flat = local_index * 4u + i;
      let r = flat / kTileK;
      let k = flat % kTileK;
      let row = wg.y * kTileM + r;
      var value = 0.0;
      if (row < dims.rows && k0 + k < dims.inner) { value = x[row * dims.inner + k0 + k]; }
      x_tile[r][k] = value;
    }
    // Stage W[16 k, 16 units]: 256 vec4, one per invocation.
    {
      let k = local_index / kThreadsU;
      let u = wg.x * kThreadsU + local_index % kThreadsU;
      var value = vec4<f32>(0.0);
      if (k0 + k < dims.inner && u < dims.units) { value = w[(k0 + k) * dims.units + u]; }
      w_tile[k][local_index % kThreadsU] = value;
    }
    workgroupBarrier();

    let r = lid.y * kRowsPerThread;
    for (var k = 0u; k < kTileK; k++) {
      let wk = w_tile[k][lid.x];
      acc0 = fma(vec4<f32>(x_tile[r][k]), wk, acc0);
      acc1 = fma(vec4<f32>(x_tile[r + 1u][k]), wk, acc1);
      acc2 = fma(vec4<f32>(x_tile[r + 2u][k]), wk, acc2);
      acc3 = fma(vec4<f32>(x_tile[r + 3u][k]), wk, acc3);
    }
    workgroupBarrier();
  }

  if (unit >= dims.units) { return; }
  if (row0 < dims.rows) { g[row0 * dims.units + unit] = acc0; }
  if (row0 + 1u < dims.rows) { g[(row0 + 1u) * dims.units + unit] = acc1; }
  if (row0 + 2u < dims.rows) { g[(row0 + 2u) * dims.units + unit] = acc2; }
  if (row0 + 3u < dims.rows) { g[(row0 + 3u) * dims.units + unit] = acc3; }
}

// Input projection of every time step at once, with both biases folded in:
//   z[m, u] = bias[u] + Σ_k X[m, k] · W[k, u]       m = t·B + b over all T·B rows
// where each element of z and W is a vec4 holding the four gates (i, f, g, o) of hidden unit u:
// z is the input's part of every gate's pre-activation (the recurrence adds h_{t−1}·W_hh).
//
// One invocation computes a 4-row × 2-unit block (32 outputs) in named registers: each W load
// feeds four vec4 FMAs and each x load two. No workgroup memory and no barriers: on SwiftShader a barrier turns every
// invocation group into a coroutine, which cost 3× the time of this form on small shapes (and 20%
// on large ones), while loads of X and W rows hit the cache either way.

struct Dims {
  rows: u32,    // M = T·B
  inner: u32,   // K = I (layer 0) or D·H (stacked layers)
  units: u32,   // H
  vec_k: u32,   // 1 when K is a multiple of 4: rows of x then start on vec4 boundaries
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;           // [M, K] row-major f32, read four at a time
@group(0) @binding(2) var<storage, read> w: array<vec4<f32>>;           // [K, H] gates of unit u at [k, u]
@group(0) @binding(3) var<storage, read> bias: array<vec4<f32>>;        // [H] b_ih + b_hh per unit
@group(0) @binding(4) var<storage, read_write> z: array<vec4<f32>>;     // [M, H]

const kRowsPerThread = 4u;
// The host's dispatch size follows from these three (src/gpu/kernels/input-projection.ts; a unit test checks them).
const kThreadsU = 16u;   // unit pairs per workgroup: 32 units
const kThreadsM = 4u;    // row groups per workgroup: 16 rows

struct Block {
  a0: vec4<f32>, a1: vec4<f32>, a2: vec4<f32>, a3: vec4<f32>,  // rows 0–3, unit u
  c0: vec4<f32>, c1: vec4<f32>, c2: vec4<f32>, c3: vec4<f32>,  // rows 0–3, unit u + 1
}

// One k of the block: x values of the four rows times W[k, u] and W[k, u + 1].
fn accumulate(acc: Block, x0: f32, x1: f32, x2: f32, x3: f32, k: u32, u: u32, v: u32) -> Block {
  let wu = w[k * dims.units + u];
  let wv = w[k * dims.units + v];
  let s0 = vec4<f32>(x0);
  let s1 = vec4<f32>(x1);
  let s2 = vec4<f32>(x2);
  let s3 = vec4<f32>(x3);
  return Block(
    fma(s0, wu, acc.a0), fma(s1, wu, acc.a1), fma(s2, wu, acc.a2), fma(s3, wu, acc.a3),
    fma(s0, wv, acc.c0), fma(s1, wv, acc.c1), fma(s2, wv, acc.c2), fma(s3, wv, acc.c3),
  );
}

fn x_at(i: u32) -> f32 {
  return x[i / 4u][i % 4u];
}

@compute @workgroup_size(kThreadsU, kThreadsM)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  // Units u and u + 1: one x load feeds both, one W load feeds four rows.
  let u = 2u * id.x;
  let row0 = id.y * kRowsPerThread;
  if (u >= dims.units || row0 >= dims.rows) { return; }
  let H = dims.units;
  let K = dims.inner;
  // Rows past the end repeat the last row, a unit past the end repeats the last unit: their
  // sums are computed and never stored.
  let last = dims.rows - 1u;
  let v = min(u + 1u, H - 1u);
  let r0 = row0 * K;
  let r1 = min(row0 + 1u, last) * K;
  let r2 = min(row0 + 2u, last) * K;
  let r3 = min(row0 + 3u, last) * K;
  let bu = bias[u];
  let bv = bias[v];
  var acc = Block(bu, bu, bu, bu, bv, bv, bv, bv);
  if (dims.vec_k == 1u) {
    // Four k at a time: one vec4 load per row instead of four scalar ones.
    for (var k = 0u; k < K; k += 4u) {
      let x0 = x[(r0 + k) / 4u];
      let x1 = x[(r1 + k) / 4u];
      let x2 = x[(r2 + k) / 4u];
      let x3 = x[(r3 + k) / 4u];
      acc = accumulate(acc, x0.x, x1.x, x2.x, x3.x, k, u, v);
      acc = accumulate(acc, x0.y, x1.y, x2.y, x3.y, k + 1u, u, v);
      acc = accumulate(acc, x0.z, x1.z, x2.z, x3.z, k + 2u, u, v);
      acc = accumulate(acc, x0.w, x1.w, x2.w, x3.w, k + 3u, u, v);
    }
  } else {
    for (var k = 0u; k < K; k++) {
      acc = accumulate(acc, x_at(r0 + k), x_at(r1 + k), x_at(r2 + k), x_at(r3 + k), k, u, v);
    }
  }
  store(row0, u, acc.a0, acc.c0);
  store(row0 + 1u, u, acc.a1, acc.c1);
  store(row0 + 2u, u, acc.a2, acc.c2);
  store(row0 + 3u, u, acc.a3, acc.c3);
}

fn store(row: u32, u: u32, at_u: vec4<f32>, at_next: vec4<f32>) {
  if (row >= dims.rows) { return; }
  z[row * dims.units + u] = at_u;
  if (u + 1u < dims.units) { z[row * dims.units + u + 1u] = at_next; }
}

// Input projection of every time step at once, with both biases folded in:
//   z[m, u] = bias[u] + Σ_k X[m, k] · W[k, u]       m = t·B + b over all T·B rows
// where each element of z and W is a vec4 holding the four gates (i, f, g, o) of hidden unit u:
// z is the input's part of every gate's pre-activation (the recurrence adds h_{t−1}·W_hh).
//
// One invocation computes a block of kRows rows × kUnits units in registers: each W load feeds
// kRows vec4 FMAs and each x load kUnits. No workgroup memory and no barriers: on SwiftShader a
// barrier turns every invocation group into a coroutine, which cost 3× the time of this form on
// small shapes (and 20% on large ones), while loads of X and W rows hit the cache either way.
// The forward uses 4 × 2 (quick to compile, little waste on short calls); training uses 8 × 4,
// which loads less per FMA and ran 2.1× and 1.5× faster at T·B = 6400 and 12800 rows on SwiftShader.

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

override kRows: u32 = 4u;    // rows per invocation: 4 or 8
override kUnits: u32 = 2u;   // units per invocation: 2 or 4
// The host's dispatch size follows from these and the overrides (src/gpu/kernels/input-projection.ts; a unit test checks them).
const kThreadsU = 16u;   // unit groups per workgroup
const kThreadsM = 4u;    // row groups per workgroup

// One row of the block: its sums at units u … u + 3 (those past kUnits unused).
struct Row {
  u0: vec4<f32>, u1: vec4<f32>, u2: vec4<f32>, u3: vec4<f32>,
}

struct Block {
  r0: Row, r1: Row, r2: Row, r3: Row, r4: Row, r5: Row, r6: Row, r7: Row,
}

// x[row, k] for the block's rows (those past kRows unused).
struct Column {
  x0: f32, x1: f32, x2: f32, x3: f32, x4: f32, x5: f32, x6: f32, x7: f32,
}

fn add_to_row(acc: Row, x: f32, wk: Row) -> Row {
  let s = vec4<f32>(x);
  var next = acc;
  next.u0 = fma(s, wk.u0, acc.u0);
  next.u1 = fma(s, wk.u1, acc.u1);
  if (kUnits > 2u) {
    next.u2 = fma(s, wk.u2, acc.u2);
    next.u3 = fma(s, wk.u3, acc.u3);
  }
  return next;
}

// One k of the block: W[k, units] times every row's x[row, k].
fn accumulate(acc: Block, xk: Column, k: u32, u: vec4<u32>) -> Block {
  let base = k * dims.units;
  var wk = Row(w[base + u.x], w[base + u.y], vec4<f32>(0.0), vec4<f32>(0.0));
  if (kUnits > 2u) {
    wk.u2 = w[base + u.z];
    wk.u3 = w[base + u.w];
  }
  var next = acc;
  next.r0 = add_to_row(acc.r0, xk.x0, wk);
  next.r1 = add_to_row(acc.r1, xk.x1, wk);
  next.r2 = add_to_row(acc.r2, xk.x2, wk);
  next.r3 = add_to_row(acc.r3, xk.x3, wk);
  if (kRows > 4u) {
    next.r4 = add_to_row(acc.r4, xk.x4, wk);
    next.r5 = add_to_row(acc.r5, xk.x5, wk);
    next.r6 = add_to_row(acc.r6, xk.x6, wk);
    next.r7 = add_to_row(acc.r7, xk.x7, wk);
  }
  return next;
}

fn x_at(i: u32) -> f32 {
  return x[i / 4u][i % 4u];
}

// x[row, k] of the block's rows, from the first element of each row (r.x = row 0's …).
fn column_at(lo: vec4<u32>, hi: vec4<u32>, k: u32) -> Column {
  var column = Column(x_at(lo.x + k), x_at(lo.y + k), x_at(lo.z + k), x_at(lo.w + k), 0.0, 0.0, 0.0, 0.0);
  if (kRows > 4u) {
    column.x4 = x_at(hi.x + k);
    column.x5 = x_at(hi.y + k);
    column.x6 = x_at(hi.z + k);
    column.x7 = x_at(hi.w + k);
  }
  return column;
}

@compute @workgroup_size(kThreadsU, kThreadsM)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let u0 = kUnits * id.x;
  let row0 = id.y * kRows;
  if (u0 >= dims.units || row0 >= dims.rows) { return; }
  let H = dims.units;
  let K = dims.inner;
  // Rows past the end repeat the last row, units past the end repeat the last unit: their
  // sums are computed and never stored.
  let last = dims.rows - 1u;
  let u = min(vec4<u32>(u0, u0 + 1u, u0 + 2u, u0 + 3u), vec4<u32>(H - 1u));
  let lo = min(vec4<u32>(row0, row0 + 1u, row0 + 2u, row0 + 3u), vec4<u32>(last)) * K;
  let hi = min(vec4<u32>(row0 + 4u, row0 + 5u, row0 + 6u, row0 + 7u), vec4<u32>(last)) * K;
  var b = Row(bias[u.x], bias[u.y], vec4<f32>(0.0), vec4<f32>(0.0));
  if (kUnits > 2u) {
    b.u2 = bias[u.z];
    b.u3 = bias[u.w];
  }
  var acc = Block(b, b, b, b, b, b, b, b);
  if (dims.vec_k == 1u) {
    // Four k at a time: one vec4 load per row instead of four scalar ones.
    for (var k = 0u; k < K; k += 4u) {
      let x0 = x[(lo.x + k) / 4u];
      let x1 = x[(lo.y + k) / 4u];
      let x2 = x[(lo.z + k) / 4u];
      let x3 = x[(lo.w + k) / 4u];
      var x4 = vec4<f32>(0.0); var x5 = vec4<f32>(0.0); var x6 = vec4<f32>(0.0); var x7 = vec4<f32>(0.0);
      if (kRows > 4u) {
        x4 = x[(hi.x + k) / 4u];
        x5 = x[(hi.y + k) / 4u];
        x6 = x[(hi.z + k) / 4u];
        x7 = x[(hi.w + k) / 4u];
      }
      acc = accumulate(acc, Column(x0.x, x1.x, x2.x, x3.x, x4.x, x5.x, x6.x, x7.x), k, u);
      acc = accumulate(acc, Column(x0.y, x1.y, x2.y, x3.y, x4.y, x5.y, x6.y, x7.y), k + 1u, u);
      acc = accumulate(acc, Column(x0.z, x1.z, x2.z, x3.z, x4.z, x5.z, x6.z, x7.z), k + 2u, u);
      acc = accumulate(acc, Column(x0.w, x1.w, x2.w, x3.w, x4.w, x5.w, x6.w, x7.w), k + 3u, u);
    }
  } else {
    for (var k = 0u; k < K; k++) {
      acc = accumulate(acc, column_at(lo, hi, k), k, u);
    }
  }
  store_row(row0, u0, acc.r0);
  store_row(row0 + 1u, u0, acc.r1);
  store_row(row0 + 2u, u0, acc.r2);
  store_row(row0 + 3u, u0, acc.r3);
  if (kRows > 4u) {
    store_row(row0 + 4u, u0, acc.r4);
    store_row(row0 + 5u, u0, acc.r5);
    store_row(row0 + 6u, u0, acc.r6);
    store_row(row0 + 7u, u0, acc.r7);
  }
}

// Row `row` of z at units u0 … u0 + kUnits − 1, those inside M and H.
fn store_row(row: u32, u0: u32, sums: Row) {
  if (row >= dims.rows) { return; }
  let base = row * dims.units;
  store(base, u0, sums.u0);
  store(base, u0 + 1u, sums.u1);
  if (kUnits > 2u) {
    store(base, u0 + 2u, sums.u2);
    store(base, u0 + 3u, sums.u3);
  }
}

fn store(base: u32, u: u32, value: vec4<f32>) {
  if (u < dims.units) { z[base + u] = value; }
}

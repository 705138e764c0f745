// The gradient a layer passes to its input (the layer below's output, or x), both directions
// summed in a fixed order (forward, then reverse):
//   dx[m, k] = Σ_d Σ_u dot(W_ih,d[k, u], dz_d[m, u])       (W_ih packed: the four gates of unit u at k)
// One invocation holds 4 rows × 2 k in named registers: per unit 4 dz loads and 2 W loads feed
// 8 vec4 dot products. With one direction, the second pair of bindings is the first again and
// `directions` is 1.

struct Dims {
  rows: u32,         // M = T·B
  inner: u32,        // K
  units: u32,        // H
  directions: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dz0: array<vec4<f32>>;   // [M, H] forward direction
@group(0) @binding(2) var<storage, read> dz1: array<vec4<f32>>;   // [M, H] reverse direction
@group(0) @binding(3) var<storage, read> w0: array<vec4<f32>>;    // [K, H] packed W_ih, forward
@group(0) @binding(4) var<storage, read> w1: array<vec4<f32>>;    // [K, H] packed W_ih, reverse
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;    // [M, K]

const kThreadsK = 16u;  // k pairs per workgroup: 32 inputs
const kThreadsM = 4u;   // row quads per workgroup: 16 rows

struct Block {
  a0: f32, a1: f32, a2: f32, a3: f32,   // rows 0–3, input k
  c0: f32, c1: f32, c2: f32, c3: f32,   // rows 0–3, input k + 1
}

fn accumulate(acc: Block, d0: vec4<f32>, d1: vec4<f32>, d2: vec4<f32>, d3: vec4<f32>, wk: vec4<f32>, wl: vec4<f32>) -> Block {
  return Block(
    acc.a0 + dot(d0, wk), acc.a1 + dot(d1, wk), acc.a2 + dot(d2, wk), acc.a3 + dot(d3, wk),
    acc.c0 + dot(d0, wl), acc.c1 + dot(d1, wl), acc.c2 + dot(d2, wl), acc.c3 + dot(d3, wl),
  );
}

@compute @workgroup_size(kThreadsK, kThreadsM)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let k = 2u * id.x;
  let row0 = 4u * id.y;
  let K = dims.inner;
  let H = dims.units;
  if (k >= K || row0 >= dims.rows) { return; }
  let l = min(k + 1u, K - 1u);
  let last = dims.rows - 1u;
  let r0 = row0 * H;
  let r1 = min(row0 + 1u, last) * H;
  let r2 = min(row0 + 2u, last) * H;
  let r3 = min(row0 + 3u, last) * H;
  var acc = Block(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  for (var u = 0u; u < H; u++) {
    acc = accumulate(acc, dz0[r0 + u], dz0[r1 + u], dz0[r2 + u], dz0[r3 + u], w0[k * H + u], w0[l * H + u]);
  }
  if (dims.directions == 2u) {
    for (var u = 0u; u < H; u++) {
      acc = accumulate(acc, dz1[r0 + u], dz1[r1 + u], dz1[r2 + u], dz1[r3 + u], w1[k * H + u], w1[l * H + u]);
    }
  }
  store(row0, k, acc.a0, acc.c0);
  store(row0 + 1u, k, acc.a1, acc.c1);
  store(row0 + 2u, k, acc.a2, acc.c2);
  store(row0 + 3u, k, acc.a3, acc.c3);
}

fn store(row: u32, k: u32, at_k: f32, at_next: f32) {
  if (row >= dims.rows) { return; }
  dx[row * dims.inner + k] = at_k;
  if (k + 1u < dims.inner) { dx[row * dims.inner + k + 1u] = at_next; }
}

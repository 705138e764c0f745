// One layer-direction's weight gradients as a GEMM over all T·B rows at once, in the packed
// layout the forward reads (element [k, u] = the four gates of unit u at input k, a vec4):
//   ∂W[k, u] = Σ_m A[m, k] · dz[m, u]
// with A from weight_grad_source.wgsl: x and a ones column (mode 0: ∂W_ih, and row k = K is
// ∂b[u] = Σ_m dz[m, u]) or h_{t−1} (mode 1: ∂W_hh). dz is zero past each length, so those rows
// add nothing. Rows are summed in order (no atomics): the same bits every call.
// One invocation holds kQuads vec4s of k (4·kQuads rows of ∂W) × 2 units in registers: per row
// kQuads vec4 loads of A and two of dz feed 8·kQuads vec4 FMAs, two rows per loop iteration. On
// SwiftShader, where every load is a per-lane gather and every loop iteration recomputes the lane
// masks, this ran 1.5–1.7× faster than 1 quad × 4 units one row at a time at (B, T, I, H) =
// (64, 100, 32, 128) and (256, 50, 128, 256); the host picks kQuads for Q (weightGradQuadsPerInvocation).

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

const kThreadsU = 8u;   // unit pairs per workgroup: 16 units
const kThreadsK = 8u;   // invocations along k per workgroup: 8·kQuads vec4s of k
override kQuads: u32 = 4u;  // vec4s of k per invocation: 1, 2, 3 or 4

// One vec4 of A's row (k0 … k0 + 3) times two units' dz: rows k0 + c of ∂W at units u (c_u) and u' (c_v).
struct QuadBlock {
  x_u: vec4<f32>, y_u: vec4<f32>, z_u: vec4<f32>, w_u: vec4<f32>,
  x_v: vec4<f32>, y_v: vec4<f32>, z_v: vec4<f32>, w_v: vec4<f32>,
}

fn accumulate(acc: QuadBlock, s: vec4<f32>, du: vec4<f32>, dv: vec4<f32>) -> QuadBlock {
  let sx = vec4<f32>(s.x);
  let sy = vec4<f32>(s.y);
  let sz = vec4<f32>(s.z);
  let sw = vec4<f32>(s.w);
  return QuadBlock(
    fma(sx, du, acc.x_u), fma(sy, du, acc.y_u), fma(sz, du, acc.z_u), fma(sw, du, acc.w_u),
    fma(sx, dv, acc.x_v), fma(sy, dv, acc.y_v), fma(sz, dv, acc.z_v), fma(sw, dv, acc.w_v),
  );
}

struct Blocks {
  b0: QuadBlock,
  b1: QuadBlock,
  b2: QuadBlock,
  b3: QuadBlock,
}

// Row m's terms: A[m, quads q[0 … kQuads − 1]] times dz[m, u] and dz[m, v].
fn add_row(acc: ptr<function, Blocks>, m: u32, q: vec4<u32>, u: u32, v: u32) {
  let Q = dims.quads;
  let du = dz[m * dims.units + u];
  let dv = dz[m * dims.units + v];
  (*acc).b0 = accumulate((*acc).b0, a[m * Q + q.x], du, dv);
  if (kQuads > 1u) { (*acc).b1 = accumulate((*acc).b1, a[m * Q + q.y], du, dv); }
  if (kQuads > 2u) { (*acc).b2 = accumulate((*acc).b2, a[m * Q + q.z], du, dv); }
  if (kQuads > 3u) { (*acc).b3 = accumulate((*acc).b3, a[m * Q + q.w], du, dv); }
}

@compute @workgroup_size(kThreadsU, kThreadsK)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let H = dims.units;
  let Q = dims.quads;
  let u = 2u * id.x;
  let q0 = kQuads * id.y;
  if (u >= H || q0 >= Q) { return; }
  // A unit or quad past the end repeats the last one (read, never stored).
  let v = min(u + 1u, H - 1u);
  let q = min(vec4<u32>(q0, q0 + 1u, q0 + 2u, q0 + 3u), vec4<u32>(Q - 1u));
  let zero = QuadBlock(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  var acc = Blocks(zero, zero, zero, zero);
  let M = dims.rows;
  var m = 0u;
  for (; m + 1u < M; m += 2u) {
    add_row(&acc, m, q, u, v);
    add_row(&acc, m + 1u, q, u, v);
  }
  if (m < M) { add_row(&acc, m, q, u, v); }
  store_block(q0, u, acc.b0);
  if (kQuads > 1u) { store_block(q0 + 1u, u, acc.b1); }
  if (kQuads > 2u) { store_block(q0 + 2u, u, acc.b2); }
  if (kQuads > 3u) { store_block(q0 + 3u, u, acc.b3); }
}

// Rows 4·quad … 4·quad + 3 of ∂W at units u and u + 1, those inside Q and H.
fn store_block(quad: u32, u: u32, block: QuadBlock) {
  if (quad >= dims.quads) { return; }
  let k0 = 4u * quad;
  store(k0, u, block.x_u);
  store(k0 + 1u, u, block.y_u);
  store(k0 + 2u, u, block.z_u);
  store(k0 + 3u, u, block.w_u);
  store(k0, u + 1u, block.x_v);
  store(k0 + 1u, u + 1u, block.y_v);
  store(k0 + 2u, u + 1u, block.z_v);
  store(k0 + 3u, u + 1u, block.w_v);
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

// One fused LSTM time step for one layer and direction, for the whole batch:
//   z = z_in[t, b, u] + Σ_k h_{t−1}[b, k] · W_hh[k, u]     (vec4: the i, f, g, o gates of unit u)
//   i, f, o = σ(z.x, z.y, z.w)   g = tanh(z.z)   c_t = f·c_{t−1} + i·g   h_t = o·tanh(c_t)
// and h_t written straight into the output sequence. One dispatch per step; the host ping-pongs
// state_in/state_out between two bind groups and selects the step index with a dynamic offset,
// so nothing is rewritten between the dispatches of one submission.
//
// The cell update itself, with packed-sequence semantics, is `advance` in lstm_cell.wgsl.
//
// Each invocation owns one hidden unit for kBatchPerThread sequences, held in named registers so
// every W_hh load feeds four vec4 FMAs. h_{t−1} is read straight from state_in: no workgroup
// memory and no barriers, which SwiftShader rewards (see input_projection.wgsl).

struct Step {
  s: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

override kTrace: bool = false;

@group(0) @binding(0) var<uniform> step_params: Step;
@group(0) @binding(1) var<uniform> dims: Dims;
@group(0) @binding(2) var<storage, read> z_in: array<vec4<f32>>;         // [T, B, H] input projection + biases
@group(0) @binding(3) var<storage, read> w_hh: array<vec4<f32>>;         // [⌈H/4⌉·4 (k), H (u)] gates of unit u at [k, u]; rows past H zero
@group(0) @binding(4) var<storage, read> lengths: array<u32>;            // [B]
@group(0) @binding(5) var<storage, read> state_in: array<vec2<f32>>;     // [B, H] (h, c) at t − 1
@group(0) @binding(6) var<storage, read_write> state_out: array<vec2<f32>>; // [B, H] (h, c) at t
@group(0) @binding(7) var<storage, read_write> output: array<f32>;       // [T, B, D·H]
@group(0) @binding(8) var<storage, read_write> trace: array<f32>;        // [L·D, 6, T, B, H] when kTrace

const kUnitsPerWorkgroup = 64u;
const kBatchPerThread = 4u;

// Sequence b's h_{t−1}[k], or 0 past the batch (that row's sums are never stored).
fn h_prev(b: u32, k: u32) -> f32 {
  if (b >= dims.batch) { return 0.0; }
  return state_in[b * dims.units + k].x;
}

@compute @workgroup_size(kUnitsPerWorkgroup)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let u = id.x;
  let b0 = id.y * kBatchPerThread;
  let H = dims.units;
  if (u >= H) { return; }
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k = 0u; k < H; k++) {
    let w = w_hh[k * H + u];
    acc0 = fma(vec4<f32>(h_prev(b0, k)), w, acc0);
    acc1 = fma(vec4<f32>(h_prev(b0 + 1u, k)), w, acc1);
    acc2 = fma(vec4<f32>(h_prev(b0 + 2u, k)), w, acc2);
    acc3 = fma(vec4<f32>(h_prev(b0 + 3u, k)), w, acc3);
  }
  finish(b0, u, acc0);
  finish(b0 + 1u, u, acc1);
  finish(b0 + 2u, u, acc2);
  finish(b0 + 3u, u, acc3);
}

fn finish(b: u32, u: u32, recurrent: vec4<f32>) {
  if (b >= dims.batch) { return; }
  let index = b * dims.units + u;
  state_out[index] = advance(step_params.s, b, u, lengths[b], recurrent, state_in[index]);
}

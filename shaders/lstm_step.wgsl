// One fused LSTM time step for one layer and direction, for the whole batch:
//   z = G[t, b, u] + Σ_k h_{t−1}[b, k] · W_hh[k, u]     (vec4: the i, f, g, o gates of unit u)
//   i, f, o = σ(z.x, z.y, z.w)   g = tanh(z.z)   c_t = f·c_{t−1} + i·g   h_t = o·tanh(c_t)
// and h_t written straight into the output sequence. One dispatch per step; the host ping-pongs
// state_in/state_out between two bind groups and selects the step index with a dynamic offset,
// so nothing is rewritten between the dispatches of one submission.
//
// Packed-sequence semantics: at step s a sequence of length len is active while s < len. The
// forward direction handles time t = s, the reverse direction t = len − 1 − s. An inactive
// sequence carries its state unchanged and writes zero at time s, so across the T steps every
// (t, b) of the output (and trace) is written exactly once per direction.
//
// Each invocation owns one hidden unit for kBatchPerThread sequences, held in named registers so
// every W_hh load feeds four vec4 FMAs; h_{t−1} is staged through workgroup memory.

struct Step {
  s: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

struct Dims {
  batch: u32,        // B
  units: u32,        // H
  out_stride: u32,   // D·H: width of one output row
  out_offset: u32,   // direction·H: where this direction's half starts
  reverse: u32,      // 1 for the reverse direction
  trace_base: u32,   // first trace element of this layer and direction
  trace_field: u32,  // T·B·H: distance between the six trace fields
  _pad: u32,
}

override kTrace: bool = false;

@group(0) @binding(0) var<uniform> step_params: Step;
@group(0) @binding(1) var<uniform> dims: Dims;
@group(0) @binding(2) var<storage, read> g_in: array<vec4<f32>>;         // [T, B, H] input projection + biases
@group(0) @binding(3) var<storage, read> w_hh: array<vec4<f32>>;         // [H (k), H (u)] gates of unit u at [k, u]
@group(0) @binding(4) var<storage, read> lengths: array<u32>;            // [B]
@group(0) @binding(5) var<storage, read> state_in: array<vec2<f32>>;     // [B, H] (h, c) at t − 1
@group(0) @binding(6) var<storage, read_write> state_out: array<vec2<f32>>; // [B, H] (h, c) at t
@group(0) @binding(7) var<storage, read_write> output: array<f32>;       // [T, B, D·H]
@group(0) @binding(8) var<storage, read_write> trace: array<f32>;        // [L·D, 6, T, B, H] when kTrace

const kUnitsPerWorkgroup = 64u;
const kBatchPerThread = 4u;

var<workgroup> h_tile: array<array<f32, kUnitsPerWorkgroup>, kBatchPerThread>;

fn write_trace(t: u32, b: u32, u: u32, i: f32, f: f32, g: f32, o: f32, c: f32, h: f32) {
  let at = dims.trace_base + (t * dims.batch + b) * dims.units + u;
  trace[at] = i;
  trace[at + dims.trace_field] = f;
  trace[at + 2u * dims.trace_field] = g;
  trace[at + 3u * dims.trace_field] = o;
  trace[at + 4u * dims.trace_field] = c;
  trace[at + 5u * dims.trace_field] = h;
}

fn finish(b: u32, u: u32, recurrent: vec4<f32>) {
  if (b >= dims.batch) { return; }
  let s = step_params.s;
  let len = lengths[b];
  let state_index = b * dims.units + u;
  if (s >= len) {
    state_out[state_index] = state_in[state_index];
    output[(s * dims.batch + b) * dims.out_stride + dims.out_offset + u] = 0.0;
    if (kTrace) { write_trace(s, b, u, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0); }
    return;
  }
  let t = select(s, len - 1u - s, dims.reverse == 1u);
  let z = g_in[(t * dims.batch + b) * dims.units + u] + recurrent;
  let i = sigmoid_stable(z.x);
  let f = sigmoid_stable(z.y);
  let g = tanh_stable(z.z);
  let o = sigmoid_stable(z.w);
  let c = f * state_in[state_index].y + i * g;
  let h = o * tanh_stable(c);
  state_out[state_index] = vec2<f32>(h, c);
  output[(t * dims.batch + b) * dims.out_stride + dims.out_offset + u] = h;
  if (kTrace) { write_trace(t, b, u, i, f, g, o, c, h); }
}

@compute @workgroup_size(kUnitsPerWorkgroup)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let u = wg.x * kUnitsPerWorkgroup + lid.x;
  let b0 = wg.y * kBatchPerThread;
  let H = dims.units;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);

  for (var k0 = 0u; k0 < H; k0 += kUnitsPerWorkgroup) {
    let k = k0 + lid.x;
    for (var bi = 0u; bi < kBatchPerThread; bi++) {
      let b = b0 + bi;
      var h = 0.0;
      if (b < dims.batch && k < H) { h = state_in[b * H + k].x; }
      h_tile[bi][lid.x] = h;
    }
    workgroupBarrier();
    if (u < H) {
      let count = min(kUnitsPerWorkgroup, H - k0);
      for (var kk = 0u; kk < count; kk++) {
        let w = w_hh[(k0 + kk) * H + u];
        acc0 = fma(vec4<f32>(h_tile[0][kk]), w, acc0);
        acc1 = fma(vec4<f32>(h_tile[1][kk]), w, acc1);
        acc2 = fma(vec4<f32>(h_tile[2][kk]), w, acc2);
        acc3 = fma(vec4<f32>(h_tile[3][kk]), w, acc3);
      }
    }
    workgroupBarrier();
  }

  if (u >= H) { return; }
  finish(b0, u, acc0);
  finish(b0 + 1u, u, acc1);
  finish(b0 + 2u, u, acc2);
  finish(b0 + 3u, u, acc3);
}

// Backpropagation through time for one layer and direction, one dispatch per step, walking the
// forward's steps in reverse (s = T − 1 … 0, then a finishing dispatch); the path for any H.
// Dispatch q of T + 1 reads its index from step_params (a dynamic-offset slot): q < T is step
// s = T − 1 − q, q = T finishes with δh0 and δc0. Invocation (j, b) owns unit j of sequence b:
//   δh_j = Σ_u W_hh[gate·H + u, j] · dz_{s+1}[b, u, gate]     (the next step's dz, this sequence)
//        + above[t, b, j] (the layer above, or the head over 'sequence'), or over 'last' above[b, j]
//          at s = len − 1 only (h_n's gradient enters at the sequence's last valid step)
// then the cell's dz (lstm_cell_backward.wgsl) into dz[t, b, j], and δc·f carried to the step
// before in dc0[b, j] itself: after step 0 it is δc0.
// Packed semantics as in the forward (lstm_cell.wgsl): step s of a sequence of length len is
// active while s < len, at time t = s (forward) or len − 1 − s (reverse); an inactive step writes
// zero dz at time s and carries nothing, so every (t, b) of dz is written once per pass.

struct Step {
  s: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

struct Dims {
  batch: u32,          // B
  units: u32,          // H
  reverse: u32,
  steps: u32,          // T
  above_stride: u32,   // D·H: a row of above and final
  above_offset: u32,   // direction·H
  has_above: u32,
  has_final: u32,
  trace_base: u32,     // first trace element of this layer-direction
  trace_field: u32,    // T·B·H
  state_base: u32,     // this layer-direction's first element of c0, dh0, dc0: ld·B·H
  _pad: u32,
}

@group(0) @binding(0) var<uniform> step_params: Step;
@group(0) @binding(1) var<uniform> dims: Dims;
@group(0) @binding(2) var<storage, read> lengths: array<u32>;       // [B]
@group(0) @binding(3) var<storage, read> trace: array<f32>;         // [L·D, 6, T, B, H]: i, f, g, o, c, h
@group(0) @binding(4) var<storage, read> w_hh: array<vec4<f32>>;    // [⌈H/4⌉·4 (k), H (u)] packed as the forward's
@group(0) @binding(5) var<storage, read> above: array<f32>;         // [T, B, D·H] (has_above), or [B, D·H] (has_final)
@group(0) @binding(6) var<storage, read> c0: array<f32>;            // [L·D, B, H]
@group(0) @binding(7) var<storage, read_write> dz: array<vec4<f32>>; // [T, B, H]
@group(0) @binding(8) var<storage, read_write> dh0: array<f32>;     // [L·D, B, H]
@group(0) @binding(9) var<storage, read_write> dc0: array<f32>;     // [L·D, B, H]: δc carried between steps, δc0 at the end

const kUnitsPerWorkgroup = 64u;

fn time_of(s: u32, len: u32) -> u32 {
  return select(s, len - 1u - s, dims.reverse == 1u);
}

fn trace_at(field: u32, t: u32, b: u32, j: u32) -> f32 {
  return trace[dims.trace_base + field * dims.trace_field + (t * dims.batch + b) * dims.units + j];
}

// Σ_u W_hh[·, j] · dz[t, b, u]: what step t's dz sends back to h_{t−1}[j].
fn recurrent(t: u32, b: u32, j: u32) -> f32 {
  let H = dims.units;
  var sum = 0.0;
  for (var u = 0u; u < H; u++) { sum += dot(w_hh[j * H + u], dz[(t * dims.batch + b) * H + u]); }
  return sum;
}

@compute @workgroup_size(kUnitsPerWorkgroup)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let j = id.x;
  let b = id.y;
  let H = dims.units;
  if (j >= H || b >= dims.batch) { return; }
  let len = lengths[b];
  let q = step_params.s;
  if (q == dims.steps) {
    // After step 0: what reaches (h0, c0).
    dh0[dims.state_base + b * H + j] = recurrent(time_of(0u, len), b, j);
    return;
  }
  let s = dims.steps - 1u - q;
  if (s >= len) {
    dz[(s * dims.batch + b) * H + j] = vec4<f32>(0.0);
    return;
  }
  let t = time_of(s, len);
  var dh = 0.0;
  var carried = 0.0;
  if (s + 1u < len) {
    dh = recurrent(time_of(s + 1u, len), b, j);
    carried = dc0[dims.state_base + b * H + j];
  }
  if (dims.has_above == 1u) { dh += above[(t * dims.batch + b) * dims.above_stride + dims.above_offset + j]; }
  if (dims.has_final == 1u && s + 1u == len) { dh += above[b * dims.above_stride + dims.above_offset + j]; }
  let gates = vec4<f32>(trace_at(0u, t, b, j), trace_at(1u, t, b, j), trace_at(2u, t, b, j), trace_at(3u, t, b, j));
  var c_prev = c0[dims.state_base + b * H + j];
  if (s > 0u) { c_prev = trace_at(4u, time_of(s - 1u, len), b, j); }
  let grad = cell_backward(gates, trace_at(4u, t, b, j), c_prev, dh, carried);
  dz[(t * dims.batch + b) * H + j] = grad.dz;
  dc0[dims.state_base + b * H + j] = grad.carry;
}

// One fused LSTM time step, split-K over a workgroup (the reduction in workgroup memory), for
// adapters without subgroups. Same step as lstm_step.wgsl:
//   z = z_in[t, b, u] + Σ_k h_{t−1}[b, k] · W_hh[k, u]     (vec4: the i, f, g, o gates of unit u)
// then `advance` (lstm_cell.wgsl). lstm_step.wgsl gives each invocation a whole k-sum, so a step at
// B = 1 is H invocations: at H = 128 one workgroup, one compute unit of a GPU busy. Here kSplit
// invocations share each unit's sum (lane s takes k = s, s + kSplit, …), so a step is H · kSplit
// invocations, B workgroup rows of them: the "spread" path (src/gpu/cost-model.ts decides).
//
// Invocation l of a workgroup owns unit j = l % kUnitsPer (consecutive invocations read
// consecutive units of one W_hh row: one coalesced line per kUnitsPer units) and lane l / kUnitsPer.
// Its partial sum goes to workgroup memory; after one barrier lane 0 of each unit adds the kSplit
// partials in lane order and applies the cell update. One sequence per workgroup row (workgroup_id.y).

struct Step {
  s: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

override kTrace: bool = false;
override kSplit: u32 = 8u;       // lanes per unit: a power of two dividing kThreads

@group(0) @binding(0) var<uniform> step_params: Step;
@group(0) @binding(1) var<uniform> dims: Dims;
@group(0) @binding(2) var<storage, read> z_in: array<vec4<f32>>;         // [T, B, H] input projection + biases
@group(0) @binding(3) var<storage, read> w_hh: array<vec4<f32>>;         // [⌈H/4⌉·4 (k), H (u)] gates of unit u at [k, u]; rows past H zero
@group(0) @binding(4) var<storage, read> lengths: array<u32>;            // [B]
@group(0) @binding(5) var<storage, read> state_in: array<vec2<f32>>;     // [B, H] (h, c) at t − 1
@group(0) @binding(6) var<storage, read_write> state_out: array<vec2<f32>>; // [B, H] (h, c) at t
@group(0) @binding(7) var<storage, read_write> output: array<f32>;       // [T, B, D·H]
@group(0) @binding(8) var<storage, read_write> trace: array<f32>;        // [L·D, 6, T, B, H] when kTrace

const kThreads = 64u;

// One partial gate sum per invocation: 1 KiB, small enough that SwiftShader compiles it quickly.
var<workgroup> partial: array<vec4<f32>, kThreads>;

@compute @workgroup_size(kThreads)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) l: u32) {
  let per = kThreads / kSplit;
  let j = l % per;
  let lane = l / per;
  let u = group.x * per + j;
  let b = group.y;
  let H = dims.units;
  var acc = vec4<f32>(0.0);
  if (u < H) {
    let row = b * H;
    for (var k = lane; k < H; k += kSplit) {
      acc = fma(vec4<f32>(state_in[row + k].x), w_hh[k * H + u], acc);
    }
  }
  // Every invocation reaches the barrier: control flow above it is uniform.
  partial[l] = acc;
  workgroupBarrier();
  if (lane != 0u || u >= H) { return; }
  var sum = partial[j];
  for (var s = 1u; s < kSplit; s++) { sum += partial[s * per + j]; }
  let index = b * H + u;
  state_out[index] = advance(step_params.s, b, u, lengths[b], sum, state_in[index]);
}

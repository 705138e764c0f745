// One fused LSTM time step, split-K over a subgroup (`subgroupAdd`), where the adapter has the
// `subgroups` feature: the spread path of lstm_step_split.wgsl without workgroup memory or a
// barrier. The host prepends `enable subgroups;` (an enable must open the module).
//
// Each subgroup owns one hidden unit of one sequence: its lane s takes k = s, s + size, … of the
// k-sum, and subgroupAdd gives every lane the unit's four gate sums; lane 0 applies the cell
// update. A workgroup of kThreads invocations holds kThreads / subgroup_size units. That takes
// subgroups to be consecutive runs of local_invocation_index, as every Vulkan, D3D12 and Metal
// implementation lays out a one-dimensional workgroup (WGSL does not promise it; the GPU property
// tests check the result). The host dispatches for the largest subgroup size the adapter reports
// (≤ kThreads); with a smaller one at run time the workgroups past H return at once.

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

const kThreads = 64u;

@compute @workgroup_size(kThreads)
fn main(
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(local_invocation_index) l: u32,
  @builtin(subgroup_invocation_id) lane: u32,
  @builtin(subgroup_size) size: u32,
) {
  let u = group.x * (kThreads / size) + l / size;
  let b = group.y;
  let H = dims.units;
  var acc = vec4<f32>(0.0);
  if (u < H) {
    let row = b * H;
    for (var k = lane; k < H; k += size) {
      acc = fma(vec4<f32>(state_in[row + k].x), w_hh[k * H + u], acc);
    }
  }
  // Every lane of the subgroup reaches the sum (u is the same for all of them).
  let sum = subgroupAdd(acc);
  if (lane != 0u || u >= H) { return; }
  let index = b * H + u;
  state_out[index] = advance(step_params.s, b, u, lengths[b], sum, state_in[index]);
}

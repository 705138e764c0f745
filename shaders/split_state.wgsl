// One layer-direction's (h, c) pairs [B, H] (the forward kernels' interleaved state) into h_n and
// c_n [L·D, B, H] at that layer-direction's offset, for a forward call whose results stay on the GPU.

struct Dims {
  count: u32,    // B·H
  offset: u32,   // ld·B·H: where this layer-direction starts in h_n and c_n
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> state: array<vec2<f32>>;    // [B, H] (h, c)
@group(0) @binding(2) var<storage, read_write> h_n: array<f32>;      // [L·D, B, H]
@group(0) @binding(3) var<storage, read_write> c_n: array<f32>;      // [L·D, B, H]

const kThreads = 64u;

@compute @workgroup_size(kThreads)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = id.x + id.y * groups.x * kThreads;
  if (i >= dims.count) { return; }
  let pair = state[i];
  h_n[dims.offset + i] = pair.x;
  c_n[dims.offset + i] = pair.y;
}

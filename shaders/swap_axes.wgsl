// Swaps the two leading axes of a float32 tensor: from [A, C, W] to [C, A, W]. Brings a batch-first
// x [B, T, I] given as a GPUBuffer to the kernels' time-major [T, B, I], and a time-major output
// back to batch-first, without leaving the GPU. One invocation per element.

struct Dims {
  a: u32,       // A: the leading axis of `from_data`
  c: u32,       // C: its second axis
  width: u32,   // W: the contiguous rows that move whole
  _pad: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> from_data: array<f32>;        // [A, C, W]
@group(0) @binding(2) var<storage, read_write> to_data: array<f32>;    // [C, A, W]

// The host's dispatch size follows from this (src/gpu/kernels/io.ts; a unit test checks it).
const kThreads = 64u;

@compute @workgroup_size(kThreads)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  // Workgroups may span two dimensions when one would pass the device's per-dimension limit.
  let i = id.x + id.y * groups.x * kThreads;
  if (i >= dims.a * dims.c * dims.width) { return; }
  let w = i % dims.width;
  let row = i / dims.width;
  to_data[((row % dims.c) * dims.a + row / dims.c) * dims.width + w] = from_data[i];
}

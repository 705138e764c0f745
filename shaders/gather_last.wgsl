// The dense head's input over 'last': the top layer's final hidden states side by side,
//   features[b, d·H + j] = output[t_d(b), b, d·H + j]
// with t_0(b) = lengths[b] − 1 (the forward direction's last valid step) and t_1(b) = 0 (the
// reverse direction ends at t = 0): h_n[−1], or cat(h_n[−2], h_n[−1]) with two directions.

struct Dims {
  batch: u32,   // B
  units: u32,   // H
  width: u32,   // D·H
  _pad: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> lengths: array<u32>;        // [B]
@group(0) @binding(2) var<storage, read> output: array<f32>;         // [T, B, D·H] the top layer's output
@group(0) @binding(3) var<storage, read_write> features: array<f32>; // [B, D·H]

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let j = id.x;
  let b = id.y;
  if (j >= dims.width || b >= dims.batch) { return; }
  let t = select(lengths[b] - 1u, 0u, j >= dims.units);
  features[b * dims.width + j] = output[(t * dims.batch + b) * dims.width + j];
}

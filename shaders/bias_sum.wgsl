// The forward kernels' bias of one layer and direction, from the trained parameters:
//   bias[u] = b_ih[u] + b_hh[u]       (vec4: the i, f, g, o gates of unit u)
// Training keeps b_ih and b_hh apart (each has its own optimizer state, and under weight decay
// their updates differ), while input_projection.wgsl folds one summed bias into z. This kernel
// runs at the start of every training call, so the forward always sees the current parameters.

struct Dims {
  units: u32,     // H
  ih: u32,        // b_ih's first vec4 in params
  hh: u32,        // b_hh's first vec4 in params
  has_bias: u32,  // 0: the model has no biases; the sum is zero
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> params: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> bias: array<vec4<f32>>;   // [H]

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let u = id.x;
  if (u >= dims.units) { return; }
  if (dims.has_bias == 0u) {
    bias[u] = vec4<f32>(0.0);
    return;
  }
  bias[u] = params[dims.ih + u] + params[dims.hh + u];
}

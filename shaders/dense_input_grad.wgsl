// The gradient a dense layer passes down, one invocation per (row, input feature):
//   dx[r, i] = Σ_o dz[r, o] · W[o, i]
// (the previous layer's da, or over the LSTM's features ∂L/∂features).

struct Dims {
  rows: u32,
  inner: u32,      // in
  outs: u32,       // out
  w_offset: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dz: array<f32>;            // [rows, out]
@group(0) @binding(2) var<storage, read> params: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;      // [rows, in]

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let r = id.x;
  let i = id.y;
  let n = dims.inner;
  if (r >= dims.rows || i >= n) { return; }
  var sum = 0.0;
  for (var o = 0u; o < dims.outs; o++) { sum = fma(dz[r * dims.outs + o], params[dims.w_offset + o * n + i], sum); }
  dx[r * n + i] = sum;
}

// One dense layer of the head, one invocation per row r (a sequence, or a time step of one):
//   z[r, o] = Σ_i W[o, i] · x[r, i] + b[o]       a[r, ·] = act(z[r, ·])
// W [out, in] and b [out] are nn.Linear's layout, read from the parameter buffer at their
// offsets. Softmax and log_softmax run over the row, shifted by its maximum m so exp never
// overflows: log_softmax(z)_j = (z_j − m) − log Σ_k exp(z_k − m).
// Activations: 0 linear, 1 relu, 2 sigmoid, 3 tanh, 4 softmax, 5 log_softmax (src/gpu/kernels/dense.ts).

struct Dims {
  rows: u32,
  inner: u32,       // in
  outs: u32,        // out
  w_offset: u32,    // W's first float in params
  b_offset: u32,    // b's first float in params
  activation: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;            // [rows, in]
@group(0) @binding(3) var<storage, read_write> z: array<f32>;      // [rows, out]
@group(0) @binding(4) var<storage, read_write> a: array<f32>;      // [rows, out]

fn activate(kind: u32, v: f32) -> f32 {
  switch kind {
    case 1u: { return max(v, 0.0); }
    case 2u: { return sigmoid_stable(v); }
    case 3u: { return tanh_stable(v); }
    default: { return v; }
  }
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let r = id.x + id.y * groups.x * 64u;
  if (r >= dims.rows) { return; }
  let n = dims.inner;
  let row = r * dims.outs;
  var top = -3.4e38;
  for (var o = 0u; o < dims.outs; o++) {
    var sum = 0.0;
    let w = dims.w_offset + o * n;
    for (var i = 0u; i < n; i++) { sum = fma(params[w + i], x[r * n + i], sum); }
    let value = sum + params[dims.b_offset + o];
    z[row + o] = value;
    a[row + o] = activate(dims.activation, value);
    top = max(top, value);
  }
  if (dims.activation != 4u && dims.activation != 5u) { return; }
  var total = 0.0;
  for (var o = 0u; o < dims.outs; o++) {
    let e = exp(z[row + o] - top);
    a[row + o] = e;
    total += e;
  }
  if (dims.activation == 5u) {
    let log_total = log(total);
    for (var o = 0u; o < dims.outs; o++) { a[row + o] = z[row + o] - top - log_total; }
    return;
  }
  for (var o = 0u; o < dims.outs; o++) { a[row + o] = a[row + o] / total; }
}

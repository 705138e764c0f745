// Back through one dense layer's activation, one invocation per row: dz = act'(da), from the
// layer's z and a (src/cpu/dense.ts's activationBackward):
//   linear dz = da   relu dz = da·[z > 0]   sigmoid dz = da·a(1 − a)   tanh dz = da·(1 − a²)
//   softmax dz_j = a_j (da_j − Σ_k a_k da_k)   log_softmax dz_j = da_j − exp(a_j) Σ_k da_k

struct Dims {
  rows: u32,
  outs: u32,
  activation: u32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> z: array<f32>;          // [rows, out]
@group(0) @binding(2) var<storage, read> a: array<f32>;          // [rows, out]
@group(0) @binding(3) var<storage, read> da: array<f32>;         // [rows, out]
@group(0) @binding(4) var<storage, read_write> dz: array<f32>;   // [rows, out]

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let r = id.x + id.y * groups.x * 64u;
  if (r >= dims.rows) { return; }
  let base = r * dims.outs;
  var dot = 0.0;
  if (dims.activation == 4u) {
    for (var j = 0u; j < dims.outs; j++) { dot += a[base + j] * da[base + j]; }
  }
  if (dims.activation == 5u) {
    for (var j = 0u; j < dims.outs; j++) { dot += da[base + j]; }
  }
  for (var j = 0u; j < dims.outs; j++) {
    let k = base + j;
    var g = da[k];
    switch dims.activation {
      case 1u: { g = select(0.0, g, z[k] > 0.0); }
      case 2u: { g = g * a[k] * (1.0 - a[k]); }
      case 3u: { g = g * (1.0 - a[k] * a[k]); }
      case 4u: { g = a[k] * (g - dot); }
      case 5u: { g = g - exp(a[k]) * dot; }
      default: {}
    }
    dz[k] = g;
  }
}

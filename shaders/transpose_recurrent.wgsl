// W_hh in the backward's order: wt[u, j] = w_hh[j, u] (each element the vec4 of unit u's four
// gates at input j), so that the persistent backward's invocations, one per unit j, read
// consecutive addresses for each u (in the forward's layout they would be H vec4s apart).

struct Dims {
  units: u32,   // H
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> w_hh: array<vec4<f32>>;       // [⌈H/4⌉·4 (j), H (u)]
@group(0) @binding(2) var<storage, read_write> wt: array<vec4<f32>>;   // [H (u), H (j)]

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let H = dims.units;
  let j = id.x;
  let u = id.y;
  if (j >= H || u >= H) { return; }
  wt[u * H + j] = w_hh[j * H + u];
}

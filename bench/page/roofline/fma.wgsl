// The adapter's arithmetic peak: eight independent vec4 FMA chains per invocation, all in
// registers, no memory traffic inside the loop. 64 FLOPs per iteration per invocation.
struct Params { iterations: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> sink: array<vec4f>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let s = f32(gid.x) * 1e-6;
  let m = vec4f(0.999999, 0.999998, 0.999997, 0.999996);
  let c = vec4f(1e-7, 2e-7, 3e-7, 4e-7);
  var a0 = vec4f(s, s + 0.1, s + 0.2, s + 0.3);
  var a1 = a0 + 1.0;
  var a2 = a0 + 2.0;
  var a3 = a0 + 3.0;
  var a4 = a0 + 4.0;
  var a5 = a0 + 5.0;
  var a6 = a0 + 6.0;
  var a7 = a0 + 7.0;
  for (var i = 0u; i < params.iterations; i++) {
    a0 = fma(a0, m, c);
    a1 = fma(a1, m, c);
    a2 = fma(a2, m, c);
    a3 = fma(a3, m, c);
    a4 = fma(a4, m, c);
    a5 = fma(a5, m, c);
    a6 = fma(a6, m, c);
    a7 = fma(a7, m, c);
  }
  // One store per invocation keeps the chains alive.
  sink[gid.x] = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
}

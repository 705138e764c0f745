// No peepholes: what lstm_cell.wgsl reads in place of lstm_peephole.wgsl (no binding, never called).
const kPeephole = false;

fn peephole_of(u: u32) -> vec4<f32> {
  return vec4<f32>(0.0);
}

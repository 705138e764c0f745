// Peepholes for lstm_cell.wgsl (ONNX's P). The host declares the binding `peephole`
// (src/gpu/kernels/cell-bindings.ts) after the kernel's own: [H] × vec4, per unit
// (P_i, P_f, 0, P_o) in the lanes of the gates they add to (src/gpu/pack.ts packPeephole).
const kPeephole = true;

fn peephole_of(u: u32) -> vec4<f32> {
  return peephole[u];
}

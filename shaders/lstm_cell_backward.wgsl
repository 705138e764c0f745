// One step of backpropagation through the LSTM cell for one (sequence, unit), shared by the
// backward recurrence kernels (prepended after activations.wgsl; WGSL has no #include). Read
// beside src/cpu/cell-backward.ts and docs/training.md: from the saved gates i, f, g, o and c_t,
// the state c_{t−1} the step started from, δh (from above plus W_hhᵀ dz of the next step) and
// δc_{t+1}·f_{t+1} (carried):
//   δo = δh·tanh(c)   δc = δh·o·(1 − tanh²(c)) + carried
//   dz = (δc·g·i(1−i), δc·c_{t−1}·f(1−f), δc·i·(1−g²), δo·o(1−o))      vec4: i, f, g, o
// Returns dz; the carried δc for the step before is δc·f (cell_carry).

struct CellGrad {
  dz: vec4<f32>,
  carry: f32,
}

fn cell_backward(gates: vec4<f32>, c: f32, c_prev: f32, dh: f32, carried: f32) -> CellGrad {
  let i = gates.x;
  let f = gates.y;
  let g = gates.z;
  let o = gates.w;
  let tanh_c = tanh_stable(c);
  let d_out = dh * tanh_c;
  let dc = dh * o * (1.0 - tanh_c * tanh_c) + carried;
  let dz = vec4<f32>(dc * g * i * (1.0 - i), dc * c_prev * f * (1.0 - f), dc * i * (1.0 - g * g), d_out * o * (1.0 - o));
  return CellGrad(dz, dc * f);
}

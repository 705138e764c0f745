// Numerically safe activations, prepended to the kernels that use them (WGSL has no #include).
// WGSL's exp overflows to +inf for arguments above ~88, and implementations may assume no inf or NaN,
// so both functions only ever call exp on a non-positive argument.

// σ(x) = 1 / (1 + e^(−x)); for x < 0 the same value as e^x / (1 + e^x).
fn sigmoid_stable(x: f32) -> f32 {
  let e = exp(-abs(x));
  let positive = 1.0 / (1.0 + e);
  return select(e / (1.0 + e), positive, x >= 0.0);
}

// tanh(x) = sign(x) · (1 − e^(−2|x|)) / (1 + e^(−2|x|)).
fn tanh_stable(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}

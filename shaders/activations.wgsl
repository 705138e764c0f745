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

// ONNX's RNN activations, the definitions of src/model/variants.ts, selected by code (the order of
// kCellActivationKinds; src/gpu/variants.ts): 0 sigmoid, 1 hard_sigmoid, 2 tanh, 3 relu, 4 affine,
// 5 softsign, 6 softplus, 7 elu, 8 leaky_relu, 9 thresholded_relu, 10 scaled_tanh. The recurrence
// kernels call it with pipeline constants, so a compiler folds the switch to the one case used.
fn cell_activation(kind: u32, alpha: f32, beta: f32, x: f32) -> f32 {
  switch kind {
    case 0u: { return sigmoid_stable(x); }
    case 1u: { return min(max(alpha * x + beta, 0.0), 1.0); }
    case 2u: { return tanh_stable(x); }
    case 3u: { return max(x, 0.0); }
    case 4u: { return alpha * x + beta; }
    case 5u: { return x / (1.0 + abs(x)); }
    // log(1 + eˣ) with exp only of −|x|: max(x, 0) + log(1 + e^(−|x|)).
    case 6u: { return max(x, 0.0) + log(1.0 + exp(-abs(x))); }
    case 7u: { return select(alpha * (exp(min(x, 0.0)) - 1.0), x, x >= 0.0); }
    case 8u: { return select(alpha * x, x, x >= 0.0); }
    case 9u: { return select(x, 0.0, x <= alpha); }
    case 10u: { return alpha * tanh_stable(beta * x); }
    default: { return x; }
  }
}

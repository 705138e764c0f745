// One optimizer step over every parameter at once (elementwise, so one dispatch serves every
// tensor in the flat buffer), torch.optim's single-tensor definitions (docs/training.md):
//   skip: a step with a NaN or ±Infinity gradient anywhere (norm[1] > 0) changes nothing
//   clip (clip_grad_norm_): coef = max_norm / (‖g‖ + 1e-6); g ← g·coef when coef < 1, with ‖g‖
//   from grad_norm.wgsl, overflow-safe (Σ g² overflows float32 for finite g past ‖g‖ ≈ 1.8e19)
//   0 adam:  g ← g + λθ    1 adamw: θ ← θ(1 − lr·λ)
//            m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²;  θ ← θ − step_size · m / (√v / √(1 − β2ᵗ) + ε)
//            (step_size = lr / (1 − β1ᵗ) and √(1 − β2ᵗ) computed on the host in float64 each step)
//   2 sgd:   g ← g + λθ;  with momentum μ: b ← g at the first step, else μ b + g;  θ ← θ − lr·g
// Entries whose mask is 0 (padding, and bias_hh under singleBias) are never touched.

struct Dims {
  count: u32,
  kind: u32,
  lr: u32,               // the f32 fields are bit patterns (bitcast<f32>)
  beta1: u32,
  beta2: u32,
  eps: u32,
  weight_decay: u32,
  step_size: u32,
  correction2_sqrt: u32,
  momentum: u32,
  first_step: u32,
  clip: u32,             // 1: clip by norm[0] (‖g‖)
  max_norm: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> mask: array<f32>;
@group(0) @binding(2) var<storage, read> grads: array<f32>;
@group(0) @binding(3) var<storage, read> norm: array<f32>;      // [‖g‖, non-finite count]
@group(0) @binding(4) var<storage, read_write> params: array<f32>;
@group(0) @binding(5) var<storage, read_write> first: array<f32>;    // Adam's m, SGD's momentum buffer
@group(0) @binding(6) var<storage, read_write> second: array<f32>;   // Adam's v

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = id.x + id.y * groups.x * 256u;
  if (i >= dims.count || mask[i] == 0.0 || norm[1] > 0.0) { return; }
  var g = grads[i];
  if (dims.clip == 1u) {
    let coef = bitcast<f32>(dims.max_norm) / (norm[0] + 1e-6);
    if (coef < 1.0) { g = g * coef; }
  }
  let lr = bitcast<f32>(dims.lr);
  let decay = bitcast<f32>(dims.weight_decay);
  var theta = params[i];
  if (dims.kind == 2u) {
    g = g + decay * theta;
    let mu = bitcast<f32>(dims.momentum);
    if (mu != 0.0) {
      g = select(mu * first[i] + g, g, dims.first_step == 1u);
      first[i] = g;
    }
    params[i] = theta - lr * g;
    return;
  }
  if (dims.kind == 1u) { theta = theta * (1.0 - lr * decay); } else { g = g + decay * theta; }
  let m = first[i] * bitcast<f32>(dims.beta1) + (1.0 - bitcast<f32>(dims.beta1)) * g;
  let v = second[i] * bitcast<f32>(dims.beta2) + (1.0 - bitcast<f32>(dims.beta2)) * g * g;
  first[i] = m;
  second[i] = v;
  params[i] = theta - bitcast<f32>(dims.step_size) * (m / (sqrt(v) / bitcast<f32>(dims.correction2_sqrt) + bitcast<f32>(dims.eps)));
}

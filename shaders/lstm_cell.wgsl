// The cell update shared by lstm_step.wgsl and lstm_sequence.wgsl, prepended to each after
// activations.wgsl and one of lstm_peephole.wgsl / lstm_no_peephole.wgsl (WGSL has no #include).
// It uses module-scope names that both kernels declare: dims (Dims), z_in, output, trace and the
// override kTrace; and kPeephole with peephole_of from the peephole file.

// The LSTM variants (src/model/variants.ts) as pipeline constants; the defaults are PyTorch's LSTM,
// and the host passes only the ones a model changes (src/gpu/variants.ts). The activations are
// ONNX's f (the i, f, o gates), g (the candidate) and h (of c, for h), by the codes of
// cell_activation (activations.wgsl), each with its α and β.
override kGateKind: u32 = 0u;
override kGateAlpha: f32 = 0.0;
override kGateBeta: f32 = 0.0;
override kCandidateKind: u32 = 2u;
override kCandidateAlpha: f32 = 0.0;
override kCandidateBeta: f32 = 0.0;
override kCellOutputKind: u32 = 2u;
override kCellOutputAlpha: f32 = 0.0;
override kCellOutputBeta: f32 = 0.0;
override kCellClip: f32 = 0.0;          // ONNX's clip: every gate pre-activation to [−clip, clip]; 0: none
override kInputForget: bool = false;    // ONNX's input_forget: f = 1 − i
override kGoBackwards: bool = false;    // Keras's go_backwards: run in reverse, write outputs at T − 1 − t

struct Dims {
  batch: u32,        // B
  units: u32,        // H
  out_stride: u32,   // D·H: width of one output row
  out_offset: u32,   // direction·H: where this direction's half starts
  reverse: u32,      // 1 for the reverse direction
  trace_base: u32,   // first trace element of this layer and direction
  trace_field: u32,  // T·B·H: distance between the six trace fields
  steps: u32,        // T
}

fn write_trace(t: u32, b: u32, u: u32, i: f32, f: f32, g: f32, o: f32, c: f32, h: f32) {
  let at = dims.trace_base + (t * dims.batch + b) * dims.units + u;
  trace[at] = i;
  trace[at + dims.trace_field] = f;
  trace[at + 2u * dims.trace_field] = g;
  trace[at + 3u * dims.trace_field] = o;
  trace[at + 4u * dims.trace_field] = c;
  trace[at + 5u * dims.trace_field] = h;
}

fn clip_gate(x: f32) -> f32 {
  if (kCellClip > 0.0) { return clamp(x, -kCellClip, kCellClip); }
  return x;
}

fn gate_act(x: f32) -> f32 { return cell_activation(kGateKind, kGateAlpha, kGateBeta, clip_gate(x)); }
fn candidate_act(x: f32) -> f32 { return cell_activation(kCandidateKind, kCandidateAlpha, kCandidateBeta, clip_gate(x)); }
fn cell_output_act(x: f32) -> f32 { return cell_activation(kCellOutputKind, kCellOutputAlpha, kCellOutputBeta, x); }

// Where the state after reading time t goes in the output (and trace): t, or T − 1 − t with
// go_backwards, the order Keras returns (src/cpu/reference.ts).
fn output_time(t: u32) -> u32 {
  return select(t, dims.steps - 1u - t, kGoBackwards);
}

// Step s of unit u of sequence b (of length len), given h_{t−1}·W_hh for the four gates and the
// previous (h, c); returns the new (h, c) and writes h into the output sequence.
//
// Packed-sequence semantics: the sequence is active while s < len. The forward direction handles
// time t = s, the reverse direction (and go_backwards) t = len − 1 − s. An inactive sequence keeps
// its state and writes zero at time s (at output_time(s)), so across the T steps every (t, b) of
// the output (and of the trace) is written exactly once per direction.
//
// With the variants (src/cpu/cell.ts has the same equations in float64):
//   i = f(clip(z_i + P_i c))   f = 1 − i, or f(clip(z_f + P_f c))   g = g(clip(z_g))
//   c' = f c + i g             o = f(clip(z_o + P_o c'))            h' = o h(c')
fn advance(s: u32, b: u32, u: u32, len: u32, recurrent: vec4<f32>, prev: vec2<f32>) -> vec2<f32> {
  if (s >= len) {
    let at = output_time(s);
    output[(at * dims.batch + b) * dims.out_stride + dims.out_offset + u] = 0.0;
    if (kTrace) { write_trace(at, b, u, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0); }
    return prev;
  }
  let t = select(s, len - 1u - s, (dims.reverse == 1u) | kGoBackwards); // `|`: no short-circuit branch
  let z = z_in[(t * dims.batch + b) * dims.units + u] + recurrent;
  var z_i = z.x;
  var z_f = z.y;
  if (kPeephole) {
    let p = peephole_of(u);
    z_i = z_i + p.x * prev.y;
    z_f = z_f + p.y * prev.y;
  }
  let i = gate_act(z_i);
  let f = select(gate_act(z_f), 1.0 - i, kInputForget);
  let g = candidate_act(z.z);
  let c = f * prev.y + i * g;
  var z_o = z.w;
  if (kPeephole) { z_o = z_o + peephole_of(u).w * c; }
  let o = gate_act(z_o);
  let h = o * cell_output_act(c);
  let at = output_time(t);
  output[(at * dims.batch + b) * dims.out_stride + dims.out_offset + u] = h;
  if (kTrace) { write_trace(at, b, u, i, f, g, o, c, h); }
  return vec2<f32>(h, c);
}

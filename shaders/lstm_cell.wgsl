// The cell update shared by lstm_step.wgsl and lstm_sequence.wgsl, prepended to each after
// activations.wgsl (WGSL has no #include). It uses module-scope names that both kernels declare:
// dims (Dims), z_in, output, trace and the override kTrace.

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

// Step s of unit u of sequence b (of length len), given h_{t−1}·W_hh for the four gates and the
// previous (h, c); returns the new (h, c) and writes h into the output sequence.
//
// Packed-sequence semantics: the sequence is active while s < len. The forward direction handles
// time t = s, the reverse direction t = len − 1 − s. An inactive sequence keeps its state and
// writes zero at time s, so across the T steps every (t, b) of the output (and of the trace) is
// written exactly once per direction.
fn advance(s: u32, b: u32, u: u32, len: u32, recurrent: vec4<f32>, prev: vec2<f32>) -> vec2<f32> {
  if (s >= len) {
    output[(s * dims.batch + b) * dims.out_stride + dims.out_offset + u] = 0.0;
    if (kTrace) { write_trace(s, b, u, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0); }
    return prev;
  }
  let t = select(s, len - 1u - s, dims.reverse == 1u);
  let z = z_in[(t * dims.batch + b) * dims.units + u] + recurrent;
  let i = sigmoid_stable(z.x);
  let f = sigmoid_stable(z.y);
  let g = tanh_stable(z.z);
  let o = sigmoid_stable(z.w);
  let c = f * prev.y + i * g;
  let h = o * tanh_stable(c);
  output[(t * dims.batch + b) * dims.out_stride + dims.out_offset + u] = h;
  if (kTrace) { write_trace(t, b, u, i, f, g, o, c, h); }
  return vec2<f32>(h, c);
}

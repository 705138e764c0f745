// The persistent sequence kernel: one dispatch walks all T steps of one layer and direction.
// Sequences are independent, so a workgroup that owns a tile of kBatchTile sequences needs no
// other workgroup: between steps it synchronises with workgroup barriers only. Per step:
//   z = z_in[t, b, u] + Σ_k h_{t−1}[b, k] · W_hh[k, u]     (vec4: the i, f, g, o gates of unit u)
// then `advance` (lstm_cell.wgsl) applies the gates and writes h_t into the output sequence.
//
// Each invocation owns kUnits hidden units, u and u + kThreads (so H ≤ kUnits · workgroup size
// ≤ 256), for the tile's sequences, and keeps their (h, c) in registers for the whole sequence;
// h_{t−1} is shared through workgroup memory. The tile is 1, 2, 4 or 8 sequences (kBatchTile) in
// named registers: one W_hh load then feeds kBatchTile vec4 FMAs, one h load kUnits · 4 of them,
// and a tile of 1 wastes nothing when B = 1. (A tile of 8 ran 1.4–1.6× faster than 4 at B = 64,
// H = 256 on SwiftShader; two units per invocation ran 1.19× faster than one at B = 256, H = 256, where every
// load is a per-lane gather.)
// W_hh must have ⌈H/4⌉·4 rows, the extra ones zero (see src/gpu/pack.ts).

override kThreads: u32 = 64;    // workgroup size, a multiple of 32 and ≥ H / kUnits
override kUnits: u32 = 1u;      // units per invocation: 1 or 2
override kBatchTile: u32 = 4;   // 1, 2, 4 or 8 sequences per workgroup
override kTrace: bool = false;

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> z_in: array<vec4<f32>>;         // [T, B, H] input projection + biases
@group(0) @binding(2) var<storage, read> w_hh: array<vec4<f32>>;         // [⌈H/4⌉·4 (k), H (u)] gates of unit u at [k, u]; rows past H zero
@group(0) @binding(3) var<storage, read> lengths: array<u32>;            // [B]
@group(0) @binding(4) var<storage, read> state_in: array<vec2<f32>>;     // [B, H] (h0, c0)
@group(0) @binding(5) var<storage, read_write> state_out: array<vec2<f32>>; // [B, H] (h, c) at each sequence's end
@group(0) @binding(6) var<storage, read_write> output: array<f32>;       // [T, B, D·H]
@group(0) @binding(7) var<storage, read_write> trace: array<f32>;        // [L·D, 6, T, B, H] when kTrace

// The bounds the host keeps to (src/gpu/kernels/lstm-sequence.ts): H ≤ kMaxUnits, kBatchTile ≤ kMaxTile.
const kMaxUnits = 256u;
const kMaxTile = 8u;

// h_{t−1} of the tile's sequences, as vec4s of four consecutive units, double-buffered by step
// parity: step s reads half s % 2 and writes h_t into the other half, so one barrier per step
// suffices. Entries for k ≥ H stay zero (workgroup memory starts zeroed and nobody writes them),
// which lets the k loop run in whole vec4s against W_hh's zero padding rows.
//
// Sized by the overrides, 2 · kBatchTile rows of kUnits · kThreads/4 vec4s, not for the largest
// tile and H: on SwiftShader a pipeline's compile time grows with its workgroup memory (≈ 0.1–0.3 s
// per KiB measured through Dawn), and the fixed 16 KiB this array once had cost 1.5–4 s per
// pipeline against 0.1 s for the 1 KiB that (B = 1, H = 128) needs.
override kRowVec4s: u32 = kUnits * kThreads / 4u;
override kTileVec4s: u32 = 2u * kBatchTile * kRowVec4s;
var<workgroup> h_tile: array<vec4<f32>, kTileVec4s>;

// The first vec4 of sequence row `row` (0 ≤ row < kBatchTile) of half `half`.
fn tile_row(half: u32, row: u32) -> u32 {
  return (half * kBatchTile + row) * kRowVec4s;
}

// A sequence beyond B gets length 0: it never becomes active, and its rows are never written.
fn length_of(b: u32) -> u32 {
  if (b >= dims.batch) { return 0u; }
  return lengths[b];
}

fn initial_state(b: u32, u: u32) -> vec2<f32> {
  if (b >= dims.batch) { return vec2<f32>(0.0); }
  return state_in[b * dims.units + u];
}

fn store_final(b: u32, u: u32, state: vec2<f32>) {
  if (b < dims.batch) { state_out[b * dims.units + u] = state; }
}

fn step_row(s: u32, b: u32, u: u32, len: u32, recurrent: vec4<f32>, state: vec2<f32>) -> vec2<f32> {
  if (b >= dims.batch) { return state; }
  return advance(s, b, u, len, recurrent, state);
}

fn publish(half: u32, row: u32, u: u32, h: f32) {
  h_tile[tile_row(half, row) + u / 4u][u % 4u] = h;
}

// One vec4 per tile row (rows past kBatchTile unused): four h values, or one unit's gate sums.
struct Rows {
  r0: vec4<f32>, r1: vec4<f32>, r2: vec4<f32>, r3: vec4<f32>, r4: vec4<f32>, r5: vec4<f32>, r6: vec4<f32>, r7: vec4<f32>,
}

// One unit's (h, c) per tile row.
struct States {
  s0: vec2<f32>, s1: vec2<f32>, s2: vec2<f32>, s3: vec2<f32>, s4: vec2<f32>, s5: vec2<f32>, s6: vec2<f32>, s7: vec2<f32>,
}

struct Lengths {
  l0: u32, l1: u32, l2: u32, l3: u32, l4: u32, l5: u32, l6: u32, l7: u32,
}

// h_{t−1}[k … k + 3] of every tile row, k = 4q, from half `read`.
fn h_rows(read: u32, q: u32) -> Rows {
  var h = Rows(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  h.r0 = h_tile[tile_row(read, 0u) + q];
  if (kBatchTile > 1u) { h.r1 = h_tile[tile_row(read, 1u) + q]; }
  if (kBatchTile > 2u) {
    h.r2 = h_tile[tile_row(read, 2u) + q];
    h.r3 = h_tile[tile_row(read, 3u) + q];
  }
  if (kBatchTile > 4u) {
    h.r4 = h_tile[tile_row(read, 4u) + q];
    h.r5 = h_tile[tile_row(read, 5u) + q];
    h.r6 = h_tile[tile_row(read, 6u) + q];
    h.r7 = h_tile[tile_row(read, 7u) + q];
  }
  return h;
}

fn add_row(acc: vec4<f32>, h: vec4<f32>, w0: vec4<f32>, w1: vec4<f32>, w2: vec4<f32>, w3: vec4<f32>) -> vec4<f32> {
  return fma(vec4<f32>(h.x), w0, fma(vec4<f32>(h.y), w1, fma(vec4<f32>(h.z), w2, fma(vec4<f32>(h.w), w3, acc))));
}

// acc + Σ_{k in the quad} h[row, k] · W_hh[k, u] for every tile row, u's W_hh rows w0 … w3.
fn add_rows(acc: Rows, h: Rows, w0: vec4<f32>, w1: vec4<f32>, w2: vec4<f32>, w3: vec4<f32>) -> Rows {
  var next = acc;
  next.r0 = add_row(acc.r0, h.r0, w0, w1, w2, w3);
  if (kBatchTile > 1u) { next.r1 = add_row(acc.r1, h.r1, w0, w1, w2, w3); }
  if (kBatchTile > 2u) {
    next.r2 = add_row(acc.r2, h.r2, w0, w1, w2, w3);
    next.r3 = add_row(acc.r3, h.r3, w0, w1, w2, w3);
  }
  if (kBatchTile > 4u) {
    next.r4 = add_row(acc.r4, h.r4, w0, w1, w2, w3);
    next.r5 = add_row(acc.r5, h.r5, w0, w1, w2, w3);
    next.r6 = add_row(acc.r6, h.r6, w0, w1, w2, w3);
    next.r7 = add_row(acc.r7, h.r7, w0, w1, w2, w3);
  }
  return next;
}

// Unit u's W_hh rows k … k + 3 into acc, against the quad's h of every row.
fn add_unit(acc: Rows, h: Rows, k: u32, u: u32) -> Rows {
  let H = dims.units;
  return add_rows(acc, h, w_hh[k * H + u], w_hh[(k + 1u) * H + u], w_hh[(k + 2u) * H + u], w_hh[(k + 3u) * H + u]);
}

// The initial (h, c) of unit u for every tile row, h published into half 0.
fn initial_states(b0: u32, u: u32) -> States {
  var states = States(vec2<f32>(0.0), vec2<f32>(0.0), vec2<f32>(0.0), vec2<f32>(0.0), vec2<f32>(0.0), vec2<f32>(0.0), vec2<f32>(0.0), vec2<f32>(0.0));
  states.s0 = initial_state(b0, u);
  publish(0u, 0u, u, states.s0.x);
  if (kBatchTile > 1u) {
    states.s1 = initial_state(b0 + 1u, u);
    publish(0u, 1u, u, states.s1.x);
  }
  if (kBatchTile > 2u) {
    states.s2 = initial_state(b0 + 2u, u);
    states.s3 = initial_state(b0 + 3u, u);
    publish(0u, 2u, u, states.s2.x);
    publish(0u, 3u, u, states.s3.x);
  }
  if (kBatchTile > 4u) {
    states.s4 = initial_state(b0 + 4u, u);
    publish(0u, 4u, u, states.s4.x);
    states.s5 = initial_state(b0 + 5u, u);
    publish(0u, 5u, u, states.s5.x);
    states.s6 = initial_state(b0 + 6u, u);
    publish(0u, 6u, u, states.s6.x);
    states.s7 = initial_state(b0 + 7u, u);
    publish(0u, 7u, u, states.s7.x);
  }
  return states;
}

// Step s of unit u for every tile row, h_t published into half `write`.
fn advance_rows(s: u32, b0: u32, u: u32, lens: Lengths, acc: Rows, states: States, write: u32) -> States {
  var next = states;
  next.s0 = step_row(s, b0, u, lens.l0, acc.r0, states.s0);
  publish(write, 0u, u, next.s0.x);
  if (kBatchTile > 1u) {
    next.s1 = step_row(s, b0 + 1u, u, lens.l1, acc.r1, states.s1);
    publish(write, 1u, u, next.s1.x);
  }
  if (kBatchTile > 2u) {
    next.s2 = step_row(s, b0 + 2u, u, lens.l2, acc.r2, states.s2);
    next.s3 = step_row(s, b0 + 3u, u, lens.l3, acc.r3, states.s3);
    publish(write, 2u, u, next.s2.x);
    publish(write, 3u, u, next.s3.x);
  }
  if (kBatchTile > 4u) {
    next.s4 = step_row(s, b0 + 4u, u, lens.l4, acc.r4, states.s4);
    publish(write, 4u, u, next.s4.x);
    next.s5 = step_row(s, b0 + 5u, u, lens.l5, acc.r5, states.s5);
    publish(write, 5u, u, next.s5.x);
    next.s6 = step_row(s, b0 + 6u, u, lens.l6, acc.r6, states.s6);
    publish(write, 6u, u, next.s6.x);
    next.s7 = step_row(s, b0 + 7u, u, lens.l7, acc.r7, states.s7);
    publish(write, 7u, u, next.s7.x);
  }
  return next;
}

fn store_finals(b0: u32, u: u32, states: States) {
  store_final(b0, u, states.s0);
  if (kBatchTile > 1u) { store_final(b0 + 1u, u, states.s1); }
  if (kBatchTile > 2u) {
    store_final(b0 + 2u, u, states.s2);
    store_final(b0 + 3u, u, states.s3);
  }
  if (kBatchTile > 4u) {
    store_final(b0 + 4u, u, states.s4);
    store_final(b0 + 5u, u, states.s5);
    store_final(b0 + 6u, u, states.s6);
    store_final(b0 + 7u, u, states.s7);
  }
}

@compute @workgroup_size(kThreads)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let H = dims.units;
  let quads = (H + 3u) / 4u;
  let ua = lid.x;
  let ub = lid.x + kThreads;
  let owns_a = ua < H;
  let owns_b = kUnits > 1u && ub < H;
  let ub_read = min(ub, H - 1u); // unit b's W_hh column when it owns none (read, never used)
  let b0 = wg.x * kBatchTile;
  let lens = Lengths(length_of(b0), length_of(b0 + 1u), length_of(b0 + 2u), length_of(b0 + 3u),
                     length_of(b0 + 4u), length_of(b0 + 5u), length_of(b0 + 6u), length_of(b0 + 7u));
  let none = States(vec2<f32>(0.0), vec2<f32>(0.0), vec2<f32>(0.0), vec2<f32>(0.0), vec2<f32>(0.0), vec2<f32>(0.0), vec2<f32>(0.0), vec2<f32>(0.0));
  var states_a = none;
  var states_b = none;
  if (owns_a) { states_a = initial_states(b0, ua); }
  if (owns_b) { states_b = initial_states(b0, ub); }
  workgroupBarrier();

  let zero = Rows(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  for (var s = 0u; s < dims.steps; s++) {
    let read = s % 2u;
    let write = 1u - read;
    if (owns_a) {
      // Four k per iteration: one vec4 of h per sequence, four W_hh rows per unit.
      var acc_a = zero;
      var acc_b = zero;
      for (var q = 0u; q < quads; q++) {
        let h = h_rows(read, q);
        acc_a = add_unit(acc_a, h, 4u * q, ua);
        if (kUnits > 1u) { acc_b = add_unit(acc_b, h, 4u * q, ub_read); }
      }
      states_a = advance_rows(s, b0, ua, lens, acc_a, states_a, write);
      if (owns_b) { states_b = advance_rows(s, b0, ub, lens, acc_b, states_b, write); }
    }
    // h_t is complete in the other half before anyone reads it in step s + 1.
    workgroupBarrier();
  }

  if (owns_a) { store_finals(b0, ua, states_a); }
  if (owns_b) { store_finals(b0, ub, states_b); }
}

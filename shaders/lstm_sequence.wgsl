// The persistent sequence kernel: one dispatch walks all T steps of one layer and direction.
// Sequences are independent, so a workgroup that owns a tile of kBatchTile sequences needs no
// other workgroup: between steps it synchronises with workgroup barriers only. Per step:
//   z = z_in[t, b, u] + Σ_k h_{t−1}[b, k] · W_hh[k, u]     (vec4: the i, f, g, o gates of unit u)
// then `advance` (lstm_cell.wgsl) applies the gates and writes h_t into the output sequence.
//
// Each invocation owns one hidden unit (so H ≤ workgroup size ≤ 256) for the tile's sequences,
// and keeps their (h, c) in registers for the whole sequence; h_{t−1} is shared through
// workgroup memory. The tile is 1, 2, 4 or 8 sequences (kBatchTile) in named registers: one W_hh
// load then feeds kBatchTile vec4 FMAs, and a tile of 1 wastes nothing when B = 1. (A tile of 8
// ran 1.4–1.6× faster than 4 at B = 64, H = 256 on SwiftShader.)
// W_hh must have ⌈H/4⌉·4 rows, the extra ones zero (see src/gpu/pack.ts).

override kThreads: u32 = 64;    // workgroup size, a multiple of 32 and ≥ H
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
// Sized by the overrides, 2 · kBatchTile · kThreads/4 vec4s, not for the largest tile and H: on
// SwiftShader a pipeline's compile time grows with its workgroup memory (≈ 0.1–0.3 s per KiB
// measured through Dawn), and the fixed 16 KiB this array once had cost 1.5–4 s per pipeline
// against 0.1 s for the 1 KiB that (B = 1, H = 128) needs. Rows are kThreads/4 vec4s apart.
override kTileVec4s: u32 = 2u * kBatchTile * (kThreads / 4u);
var<workgroup> h_tile: array<vec4<f32>, kTileVec4s>;

// The first vec4 of sequence row `row` (0 ≤ row < kBatchTile) of half `half`.
fn tile_row(half: u32, row: u32) -> u32 {
  return (half * kBatchTile + row) * (kThreads / 4u);
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

@compute @workgroup_size(kThreads)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let u = lid.x;
  let H = dims.units;
  let quads = (H + 3u) / 4u;
  let active_unit = u < H;
  let b0 = wg.x * kBatchTile;
  let len0 = length_of(b0);
  let len1 = length_of(b0 + 1u);
  let len2 = length_of(b0 + 2u);
  let len3 = length_of(b0 + 3u);
  let len4 = length_of(b0 + 4u);
  let len5 = length_of(b0 + 5u);
  let len6 = length_of(b0 + 6u);
  let len7 = length_of(b0 + 7u);
  var state0 = vec2<f32>(0.0);
  var state1 = vec2<f32>(0.0);
  var state2 = vec2<f32>(0.0);
  var state3 = vec2<f32>(0.0);
  var state4 = vec2<f32>(0.0);
  var state5 = vec2<f32>(0.0);
  var state6 = vec2<f32>(0.0);
  var state7 = vec2<f32>(0.0);
  if (active_unit) {
    state0 = initial_state(b0, u);
    publish(0u, 0u, u, state0.x);
    if (kBatchTile > 1u) {
      state1 = initial_state(b0 + 1u, u);
      publish(0u, 1u, u, state1.x);
    }
    if (kBatchTile > 2u) {
      state2 = initial_state(b0 + 2u, u);
      state3 = initial_state(b0 + 3u, u);
      publish(0u, 2u, u, state2.x);
      publish(0u, 3u, u, state3.x);
    }
    if (kBatchTile > 4u) {
      state4 = initial_state(b0 + 4u, u);
      publish(0u, 4u, u, state4.x);
      state5 = initial_state(b0 + 5u, u);
      publish(0u, 5u, u, state5.x);
      state6 = initial_state(b0 + 6u, u);
      publish(0u, 6u, u, state6.x);
      state7 = initial_state(b0 + 7u, u);
      publish(0u, 7u, u, state7.x);
    }
  }
  workgroupBarrier();

  for (var s = 0u; s < dims.steps; s++) {
    let read = s % 2u;
    let write = 1u - read;
    var acc0 = vec4<f32>(0.0);
    var acc1 = vec4<f32>(0.0);
    var acc2 = vec4<f32>(0.0);
    var acc3 = vec4<f32>(0.0);
    var acc4 = vec4<f32>(0.0);
    var acc5 = vec4<f32>(0.0);
    var acc6 = vec4<f32>(0.0);
    var acc7 = vec4<f32>(0.0);
    if (active_unit) {
      // Four k per iteration: one vec4 of h per sequence, four W_hh rows.
      for (var q = 0u; q < quads; q++) {
        let k = 4u * q;
        let w0 = w_hh[k * H + u];
        let w1 = w_hh[(k + 1u) * H + u];
        let w2 = w_hh[(k + 2u) * H + u];
        let w3 = w_hh[(k + 3u) * H + u];
        let h0 = h_tile[tile_row(read, 0u) + q];
        acc0 = fma(vec4<f32>(h0.x), w0, fma(vec4<f32>(h0.y), w1, fma(vec4<f32>(h0.z), w2, fma(vec4<f32>(h0.w), w3, acc0))));
        if (kBatchTile > 1u) {
          let h1 = h_tile[tile_row(read, 1u) + q];
          acc1 = fma(vec4<f32>(h1.x), w0, fma(vec4<f32>(h1.y), w1, fma(vec4<f32>(h1.z), w2, fma(vec4<f32>(h1.w), w3, acc1))));
        }
        if (kBatchTile > 2u) {
          let h2 = h_tile[tile_row(read, 2u) + q];
          let h3 = h_tile[tile_row(read, 3u) + q];
          acc2 = fma(vec4<f32>(h2.x), w0, fma(vec4<f32>(h2.y), w1, fma(vec4<f32>(h2.z), w2, fma(vec4<f32>(h2.w), w3, acc2))));
          acc3 = fma(vec4<f32>(h3.x), w0, fma(vec4<f32>(h3.y), w1, fma(vec4<f32>(h3.z), w2, fma(vec4<f32>(h3.w), w3, acc3))));
        }
        if (kBatchTile > 4u) {
          let h4 = h_tile[tile_row(read, 4u) + q];
          acc4 = fma(vec4<f32>(h4.x), w0, fma(vec4<f32>(h4.y), w1, fma(vec4<f32>(h4.z), w2, fma(vec4<f32>(h4.w), w3, acc4))));
          let h5 = h_tile[tile_row(read, 5u) + q];
          acc5 = fma(vec4<f32>(h5.x), w0, fma(vec4<f32>(h5.y), w1, fma(vec4<f32>(h5.z), w2, fma(vec4<f32>(h5.w), w3, acc5))));
          let h6 = h_tile[tile_row(read, 6u) + q];
          acc6 = fma(vec4<f32>(h6.x), w0, fma(vec4<f32>(h6.y), w1, fma(vec4<f32>(h6.z), w2, fma(vec4<f32>(h6.w), w3, acc6))));
          let h7 = h_tile[tile_row(read, 7u) + q];
          acc7 = fma(vec4<f32>(h7.x), w0, fma(vec4<f32>(h7.y), w1, fma(vec4<f32>(h7.z), w2, fma(vec4<f32>(h7.w), w3, acc7))));
        }
      }
      state0 = step_row(s, b0, u, len0, acc0, state0);
      publish(write, 0u, u, state0.x);
      if (kBatchTile > 1u) {
        state1 = step_row(s, b0 + 1u, u, len1, acc1, state1);
        publish(write, 1u, u, state1.x);
      }
      if (kBatchTile > 2u) {
        state2 = step_row(s, b0 + 2u, u, len2, acc2, state2);
        state3 = step_row(s, b0 + 3u, u, len3, acc3, state3);
        publish(write, 2u, u, state2.x);
        publish(write, 3u, u, state3.x);
      }
      if (kBatchTile > 4u) {
        state4 = step_row(s, b0 + 4u, u, len4, acc4, state4);
        publish(write, 4u, u, state4.x);
        state5 = step_row(s, b0 + 5u, u, len5, acc5, state5);
        publish(write, 5u, u, state5.x);
        state6 = step_row(s, b0 + 6u, u, len6, acc6, state6);
        publish(write, 6u, u, state6.x);
        state7 = step_row(s, b0 + 7u, u, len7, acc7, state7);
        publish(write, 7u, u, state7.x);
      }
    }
    // h_t is complete in the other half before anyone reads it in step s + 1.
    workgroupBarrier();
  }

  if (active_unit) {
    store_final(b0, u, state0);
    if (kBatchTile > 1u) { store_final(b0 + 1u, u, state1); }
    if (kBatchTile > 2u) {
      store_final(b0 + 2u, u, state2);
      store_final(b0 + 3u, u, state3);
    }
    if (kBatchTile > 4u) {
      store_final(b0 + 4u, u, state4);
      store_final(b0 + 5u, u, state5);
      store_final(b0 + 6u, u, state6);
      store_final(b0 + 7u, u, state7);
    }
  }
}

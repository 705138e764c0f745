// Backpropagation through time for one layer and direction in one dispatch: the persistent
// counterpart of lstm_backward_step.wgsl (read that file for the equations and the packed
// semantics; this one computes the same values, the recurrent sum's terms grouped by gate).
// Sequences are independent,
// so a workgroup owning a tile of kBatchTile sequences walks s = T − 1 … 0 alone, synchronising
// with workgroup barriers only. Invocation j owns units j and j + kThreads (H ≤ 2·kThreads ≤ 256)
// of the tile's sequences and keeps each one's carried δc in a register. The step after s's dz
// (all units of each sequence) is shared through workgroup memory; per step:
//   1. δh_j = Σ_u W_hh[j, u] · dz_{s+1}[b, u]  from the tile: each tile load feeds both units'
//      vec4 FMAs and each W_hh load kBatchTile of them (one unit per invocation, loads from
//      workgroup memory outnumbered FMAs and the walk ran 2–2.5× the forward's time)
//   — barrier: everyone has read dz_{s+1} —
//   2. the cell's dz at step s (lstm_cell_backward.wgsl) into dz[t, b, j] and the tile
//   — barrier: dz_s is complete before step s − 1 reads it —
// After step 0 the tile holds each sequence's dz at s = 0: δh0 = W_hhᵀ dz, δc0 the carried δc.

override kThreads: u32 = 32;    // workgroup size, a multiple of 32 and ≥ H / 2
override kBatchTile: u32 = 4;   // 1, 2, 4 or 8 sequences per workgroup

struct Dims {
  batch: u32,          // B
  units: u32,          // H
  reverse: u32,
  steps: u32,          // T
  above_stride: u32,   // D·H: a row of above and final
  above_offset: u32,   // direction·H
  has_above: u32,
  has_final: u32,
  trace_base: u32,     // first trace element of this layer-direction
  trace_field: u32,    // T·B·H
  state_base: u32,     // this layer-direction's first element of c0, dh0, dc0: ld·B·H
  _pad: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> lengths: array<u32>;       // [B]
@group(0) @binding(2) var<storage, read> trace: array<f32>;         // [L·D, 6, T, B, H]: i, f, g, o, c, h
@group(0) @binding(3) var<storage, read> w_hh_t: array<vec4<f32>>;  // [H (u), H (j)]: W_hh transposed (transpose_recurrent.wgsl)
@group(0) @binding(4) var<storage, read> above: array<f32>;         // [T, B, D·H] (has_above), or [B, D·H] (has_final)
@group(0) @binding(5) var<storage, read> c0: array<f32>;            // [L·D, B, H]
@group(0) @binding(6) var<storage, read_write> dz: array<vec4<f32>>; // [T, B, H]
@group(0) @binding(7) var<storage, read_write> dh0: array<f32>;     // [L·D, B, H]
@group(0) @binding(8) var<storage, read_write> dc0: array<f32>;     // [L·D, B, H]

// The bounds the host keeps to (src/gpu/kernels/train-sequence.ts): H ≤ kMaxUnits, kBatchTile ≤ kMaxTile.
const kMaxUnits = 256u;
const kMaxTile = 8u;

// dz of the step after the current one, per tile row, 2·kThreads vec4s apart (kBatchTile·2·kThreads·16
// bytes: the host picks the tile so that it fits the device's workgroup storage). One buffer and
// two barriers per step: double-buffering by step parity (one barrier, half the tile to fit the
// same storage) measured no faster at (B, T, I, H) = (64, 100, 32, 128) or (32, 12, 1, 50).
override kRowStride: u32 = 2u * kThreads;
override kTileVec4s: u32 = kBatchTile * kRowStride;
var<workgroup> dz_tile: array<vec4<f32>, kTileVec4s>;

fn length_of(b: u32) -> u32 {
  if (b >= dims.batch) { return 0u; }
  return lengths[b];
}

fn time_of(s: u32, len: u32) -> u32 {
  return select(s, len - 1u - s, dims.reverse == 1u);
}

fn trace_at(field: u32, t: u32, b: u32, j: u32) -> f32 {
  return trace[dims.trace_base + field * dims.trace_field + (t * dims.batch + b) * dims.units + j];
}

// Step s of sequence b (tile row `row`) for unit j, given δh's recurrent part and the carried δc:
// writes dz (zero at time s when the step is inactive) to dz and the tile; returns the new carry.
fn step_row(s: u32, row: u32, b: u32, j: u32, len: u32, recurrent: f32, carry: f32) -> f32 {
  let slot = row * kRowStride + j;
  let H = dims.units;
  if (s >= len) {
    if (b < dims.batch) { dz[(s * dims.batch + b) * H + j] = vec4<f32>(0.0); }
    dz_tile[slot] = vec4<f32>(0.0);
    return carry;
  }
  let t = time_of(s, len);
  var dh = 0.0;
  var carried = 0.0;
  if (s + 1u < len) {
    dh = recurrent;
    carried = carry;
  }
  if (dims.has_above == 1u) { dh += above[(t * dims.batch + b) * dims.above_stride + dims.above_offset + j]; }
  if (dims.has_final == 1u && s + 1u == len) { dh += above[b * dims.above_stride + dims.above_offset + j]; }
  let gates = vec4<f32>(trace_at(0u, t, b, j), trace_at(1u, t, b, j), trace_at(2u, t, b, j), trace_at(3u, t, b, j));
  var c_prev = c0[dims.state_base + b * H + j];
  if (s > 0u) { c_prev = trace_at(4u, time_of(s - 1u, len), b, j); }
  let grad = cell_backward(gates, trace_at(4u, t, b, j), c_prev, dh, carried);
  dz[(t * dims.batch + b) * H + j] = grad.dz;
  dz_tile[slot] = grad.dz;
  return grad.carry;
}

fn finish_row(row: u32, b: u32, j: u32, recurrent: f32, carry: f32) {
  if (b >= dims.batch) { return; }
  dh0[dims.state_base + b * dims.units + j] = recurrent;
  dc0[dims.state_base + b * dims.units + j] = carry;
}

// Σ_u W_hh[j, u] · tile[row][u] for units j (a) and j' (b), rows 0 … 7 (those past kBatchTile
// stay zero), u in order. The four gates accumulate as a vec4 (one vec4 FMA per unit and row)
// and are summed once at the end.
struct Recurrent {
  r0: f32, r1: f32, r2: f32, r3: f32, r4: f32, r5: f32, r6: f32, r7: f32,
}

struct RecurrentPair {
  a: Recurrent,
  b: Recurrent,
}

fn gate_sum(v: vec4<f32>) -> f32 {
  return (v.x + v.y) + (v.z + v.w);
}

fn recurrent_pair(ja: u32, jb: u32) -> RecurrentPair {
  let H = dims.units;
  var a0 = vec4<f32>(0.0); var a1 = vec4<f32>(0.0); var a2 = vec4<f32>(0.0); var a3 = vec4<f32>(0.0);
  var a4 = vec4<f32>(0.0); var a5 = vec4<f32>(0.0); var a6 = vec4<f32>(0.0); var a7 = vec4<f32>(0.0);
  var b0 = vec4<f32>(0.0); var b1 = vec4<f32>(0.0); var b2 = vec4<f32>(0.0); var b3 = vec4<f32>(0.0);
  var b4 = vec4<f32>(0.0); var b5 = vec4<f32>(0.0); var b6 = vec4<f32>(0.0); var b7 = vec4<f32>(0.0);
  for (var u = 0u; u < H; u++) {
    let wa = w_hh_t[u * H + ja]; // consecutive across the workgroup's invocations
    let wb = w_hh_t[u * H + jb];
    let d0 = dz_tile[u];
    a0 = fma(wa, d0, a0); b0 = fma(wb, d0, b0);
    if (kBatchTile > 1u) {
      let d1 = dz_tile[kRowStride + u];
      a1 = fma(wa, d1, a1); b1 = fma(wb, d1, b1);
    }
    if (kBatchTile > 2u) {
      let d2 = dz_tile[2u * kRowStride + u];
      let d3 = dz_tile[3u * kRowStride + u];
      a2 = fma(wa, d2, a2); b2 = fma(wb, d2, b2);
      a3 = fma(wa, d3, a3); b3 = fma(wb, d3, b3);
    }
    if (kBatchTile > 4u) {
      let d4 = dz_tile[4u * kRowStride + u];
      let d5 = dz_tile[5u * kRowStride + u];
      let d6 = dz_tile[6u * kRowStride + u];
      let d7 = dz_tile[7u * kRowStride + u];
      a4 = fma(wa, d4, a4); b4 = fma(wb, d4, b4);
      a5 = fma(wa, d5, a5); b5 = fma(wb, d5, b5);
      a6 = fma(wa, d6, a6); b6 = fma(wb, d6, b6);
      a7 = fma(wa, d7, a7); b7 = fma(wb, d7, b7);
    }
  }
  return RecurrentPair(
    Recurrent(gate_sum(a0), gate_sum(a1), gate_sum(a2), gate_sum(a3), gate_sum(a4), gate_sum(a5), gate_sum(a6), gate_sum(a7)),
    Recurrent(gate_sum(b0), gate_sum(b1), gate_sum(b2), gate_sum(b3), gate_sum(b4), gate_sum(b5), gate_sum(b6), gate_sum(b7)),
  );
}

// Carried δc of one unit for rows 0 … 7.
struct Carries {
  c0: f32, c1: f32, c2: f32, c3: f32, c4: f32, c5: f32, c6: f32, c7: f32,
}

struct Lengths {
  l0: u32, l1: u32, l2: u32, l3: u32, l4: u32, l5: u32, l6: u32, l7: u32,
}

// Step s of every tile row for unit j.
fn step_unit(s: u32, b0: u32, j: u32, lens: Lengths, rec: Recurrent, carry: Carries) -> Carries {
  var next = carry;
  next.c0 = step_row(s, 0u, b0, j, lens.l0, rec.r0, carry.c0);
  if (kBatchTile > 1u) { next.c1 = step_row(s, 1u, b0 + 1u, j, lens.l1, rec.r1, carry.c1); }
  if (kBatchTile > 2u) {
    next.c2 = step_row(s, 2u, b0 + 2u, j, lens.l2, rec.r2, carry.c2);
    next.c3 = step_row(s, 3u, b0 + 3u, j, lens.l3, rec.r3, carry.c3);
  }
  if (kBatchTile > 4u) {
    next.c4 = step_row(s, 4u, b0 + 4u, j, lens.l4, rec.r4, carry.c4);
    next.c5 = step_row(s, 5u, b0 + 5u, j, lens.l5, rec.r5, carry.c5);
    next.c6 = step_row(s, 6u, b0 + 6u, j, lens.l6, rec.r6, carry.c6);
    next.c7 = step_row(s, 7u, b0 + 7u, j, lens.l7, rec.r7, carry.c7);
  }
  return next;
}

fn finish_unit(b0: u32, j: u32, rec: Recurrent, carry: Carries) {
  finish_row(0u, b0, j, rec.r0, carry.c0);
  if (kBatchTile > 1u) { finish_row(1u, b0 + 1u, j, rec.r1, carry.c1); }
  if (kBatchTile > 2u) {
    finish_row(2u, b0 + 2u, j, rec.r2, carry.c2);
    finish_row(3u, b0 + 3u, j, rec.r3, carry.c3);
  }
  if (kBatchTile > 4u) {
    finish_row(4u, b0 + 4u, j, rec.r4, carry.c4);
    finish_row(5u, b0 + 5u, j, rec.r5, carry.c5);
    finish_row(6u, b0 + 6u, j, rec.r6, carry.c6);
    finish_row(7u, b0 + 7u, j, rec.r7, carry.c7);
  }
}

@compute @workgroup_size(kThreads)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let H = dims.units;
  let ja = lid.x;
  let jb = lid.x + kThreads;
  let owns_a = ja < H;
  let owns_b = jb < H;
  let jb_read = min(jb, H - 1u); // unit b's W_hh column when it owns none (read, never used)
  let b0 = wg.x * kBatchTile;
  let lens = Lengths(length_of(b0), length_of(b0 + 1u), length_of(b0 + 2u), length_of(b0 + 3u),
                     length_of(b0 + 4u), length_of(b0 + 5u), length_of(b0 + 6u), length_of(b0 + 7u));
  var carry_a = Carries(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  var carry_b = carry_a;
  let none = Recurrent(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  for (var q = 0u; q < dims.steps; q++) {
    let s = dims.steps - 1u - q;
    var rec = RecurrentPair(none, none);
    if (owns_a && q > 0u) { rec = recurrent_pair(ja, jb_read); }
    workgroupBarrier();
    if (owns_a) { carry_a = step_unit(s, b0, ja, lens, rec.a, carry_a); }
    if (owns_b) { carry_b = step_unit(s, b0, jb, lens, rec.b, carry_b); }
    workgroupBarrier();
  }
  if (!owns_a) { return; }
  let rec = recurrent_pair(ja, jb_read);
  finish_unit(b0, ja, rec.a, carry_a);
  if (owns_b) { finish_unit(b0, jb, rec.b, carry_b); }
}

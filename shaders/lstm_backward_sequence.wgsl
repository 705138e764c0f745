// Backpropagation through time for one layer and direction in one dispatch: the persistent
// counterpart of lstm_backward_step.wgsl (read that file for the equations and the packed
// semantics; this one computes the same values, the recurrent sum's terms grouped by gate).
// Sequences are independent,
// so a workgroup owning a tile of kBatchTile sequences walks s = T − 1 … 0 alone, synchronising
// with workgroup barriers only. Invocation j owns unit j (H ≤ kThreads ≤ 256) of the tile's
// sequences and keeps each one's carried δc in a register. The step after s's dz (all units of
// each sequence) is shared through workgroup memory; per step:
//   1. δh_j = Σ_u W_hh[j, u] · dz_{s+1}[b, u]  from the tile (one W_hh load feeds kBatchTile dots)
//   — barrier: everyone has read dz_{s+1} —
//   2. the cell's dz at step s (lstm_cell_backward.wgsl) into dz[t, b, j] and the tile
//   — barrier: dz_s is complete before step s − 1 reads it —
// After step 0 the tile holds each sequence's dz at s = 0: δh0 = W_hhᵀ dz, δc0 the carried δc.

override kThreads: u32 = 64;    // workgroup size, a multiple of 32 and ≥ H
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

// dz of the step after the current one, per tile row, kThreads vec4s apart (kBatchTile·kThreads·16
// bytes: the host picks the tile so that it fits the device's workgroup storage). One buffer and
// two barriers per step: double-buffering by step parity (one barrier, half the tile to fit the
// same storage) measured no faster at (B, T, I, H) = (64, 100, 32, 128) or (32, 12, 1, 50).
override kTileVec4s: u32 = kBatchTile * kThreads;
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
  let slot = row * kThreads + j;
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

// Σ_u W_hh[j, u] · tile[row][u] for rows 0 … 7 (those past kBatchTile stay zero), u in order. The
// four gates accumulate as a vec4 (one vec4 FMA per unit and row) and are summed once at the end.
struct Recurrent {
  r0: f32, r1: f32, r2: f32, r3: f32, r4: f32, r5: f32, r6: f32, r7: f32,
}

fn gate_sum(v: vec4<f32>) -> f32 {
  return (v.x + v.y) + (v.z + v.w);
}

fn recurrent_all(j: u32) -> Recurrent {
  let H = dims.units;
  var a0 = vec4<f32>(0.0); var a1 = vec4<f32>(0.0); var a2 = vec4<f32>(0.0); var a3 = vec4<f32>(0.0);
  var a4 = vec4<f32>(0.0); var a5 = vec4<f32>(0.0); var a6 = vec4<f32>(0.0); var a7 = vec4<f32>(0.0);
  for (var u = 0u; u < H; u++) {
    let w = w_hh_t[u * H + j]; // consecutive across the workgroup's invocations
    let at = u;
    a0 = fma(w, dz_tile[at], a0);
    if (kBatchTile > 1u) { a1 = fma(w, dz_tile[at + kThreads], a1); }
    if (kBatchTile > 2u) {
      a2 = fma(w, dz_tile[at + 2u * kThreads], a2);
      a3 = fma(w, dz_tile[at + 3u * kThreads], a3);
    }
    if (kBatchTile > 4u) {
      a4 = fma(w, dz_tile[at + 4u * kThreads], a4);
      a5 = fma(w, dz_tile[at + 5u * kThreads], a5);
      a6 = fma(w, dz_tile[at + 6u * kThreads], a6);
      a7 = fma(w, dz_tile[at + 7u * kThreads], a7);
    }
  }
  return Recurrent(gate_sum(a0), gate_sum(a1), gate_sum(a2), gate_sum(a3), gate_sum(a4), gate_sum(a5), gate_sum(a6), gate_sum(a7));
}

@compute @workgroup_size(kThreads)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let j = lid.x;
  let owns_unit = j < dims.units;
  let b0 = wg.x * kBatchTile;
  let len0 = length_of(b0);
  let len1 = length_of(b0 + 1u);
  let len2 = length_of(b0 + 2u);
  let len3 = length_of(b0 + 3u);
  let len4 = length_of(b0 + 4u);
  let len5 = length_of(b0 + 5u);
  let len6 = length_of(b0 + 6u);
  let len7 = length_of(b0 + 7u);
  var carry0 = 0.0; var carry1 = 0.0; var carry2 = 0.0; var carry3 = 0.0;
  var carry4 = 0.0; var carry5 = 0.0; var carry6 = 0.0; var carry7 = 0.0;
  for (var q = 0u; q < dims.steps; q++) {
    let s = dims.steps - 1u - q;
    var rec = Recurrent(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    if (owns_unit && q > 0u) { rec = recurrent_all(j); }
    workgroupBarrier();
    if (owns_unit) {
      carry0 = step_row(s, 0u, b0, j, len0, rec.r0, carry0);
      if (kBatchTile > 1u) { carry1 = step_row(s, 1u, b0 + 1u, j, len1, rec.r1, carry1); }
      if (kBatchTile > 2u) {
        carry2 = step_row(s, 2u, b0 + 2u, j, len2, rec.r2, carry2);
        carry3 = step_row(s, 3u, b0 + 3u, j, len3, rec.r3, carry3);
      }
      if (kBatchTile > 4u) {
        carry4 = step_row(s, 4u, b0 + 4u, j, len4, rec.r4, carry4);
        carry5 = step_row(s, 5u, b0 + 5u, j, len5, rec.r5, carry5);
        carry6 = step_row(s, 6u, b0 + 6u, j, len6, rec.r6, carry6);
        carry7 = step_row(s, 7u, b0 + 7u, j, len7, rec.r7, carry7);
      }
    }
    workgroupBarrier();
  }
  if (!owns_unit) { return; }
  let rec = recurrent_all(j);
  finish_row(0u, b0, j, rec.r0, carry0);
  if (kBatchTile > 1u) { finish_row(1u, b0 + 1u, j, rec.r1, carry1); }
  if (kBatchTile > 2u) {
    finish_row(2u, b0 + 2u, j, rec.r2, carry2);
    finish_row(3u, b0 + 3u, j, rec.r3, carry3);
  }
  if (kBatchTile > 4u) {
    finish_row(4u, b0 + 4u, j, rec.r4, carry4);
    finish_row(5u, b0 + 5u, j, rec.r5, carry5);
    finish_row(6u, b0 + 6u, j, rec.r6, carry6);
    finish_row(7u, b0 + 7u, j, rec.r7, carry7);
  }
}

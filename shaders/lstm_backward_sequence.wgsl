// Backpropagation through time for one layer and direction in one dispatch: the persistent
// counterpart of lstm_backward_step.wgsl (read that file for the equations and the packed
// semantics; this one computes the same values, the recurrent sum's terms grouped by gate).
// Sequences are independent,
// so a workgroup owning a tile of kBatchTile sequences walks s = T − 1 … 0 alone, synchronising
// with workgroup barriers only. Invocation j owns kUnits units, j + n·kThreads for n < kUnits
// (H ≤ kUnits·kThreads ≤ 256), of the tile's sequences and keeps each one's carried δc in a
// register. The step after s's dz (all units of each sequence) is shared through workgroup memory;
// per step:
//   1. δh_j = Σ_u W_hh[j, u] · dz_{s+1}[b, u]  from the tile: each tile load feeds every owned
//      unit's FMAs and each W_hh load kBatchTile of them. A dz is four floats against the
//      forward's one h, so loads per FMA fall only with more units per invocation: on SwiftShader,
//      where every load is a per-lane gather, four units with scalar sums ran 1.66× and 1.43×
//      faster than two with vec4 sums at (B, T, I, H) = (64, 100, 32, 128) and (256, 50, 128, 256),
//      and eight (the host's choice on a software adapter) 1.31× and 1.18× faster than four.
//   — barrier: everyone has read dz_{s+1} —
//   2. the cell's dz at step s (lstm_cell_backward.wgsl) into dz[t, b, j] and the tile
//   — barrier: dz_s is complete before step s − 1 reads it —
// After step 0 the tile holds each sequence's dz at s = 0: δh0 = W_hhᵀ dz, δc0 the carried δc.

override kThreads: u32 = 32;    // workgroup size, a multiple of 16 and ≥ H / kUnits
override kUnits: u32 = 2;       // units per invocation: 1 to 8
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

// dz of the step after the current one, per tile row, kUnits·kThreads vec4s apart (kBatchTile·kUnits·
// kThreads·16 bytes: the host picks the tile so that it fits the device's workgroup storage). One buffer and
// two barriers per step: double-buffering by step parity (one barrier, half the tile to fit the
// same storage) measured no faster at (B, T, I, H) = (64, 100, 32, 128) or (32, 12, 1, 50).
override kRowStride: u32 = kUnits * kThreads;
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

// Σ_u W_hh[j, u] · tile[row][u] for the owned units, rows 0 … 7 (those past kBatchTile stay
// zero), u in order: per unit and row one scalar accumulator, the four gates of u dotted in.
struct Recurrent {
  r0: f32, r1: f32, r2: f32, r3: f32, r4: f32, r5: f32, r6: f32, r7: f32,
}

// dz of unit u in each tile row.
struct TileColumn {
  d0: vec4<f32>, d1: vec4<f32>, d2: vec4<f32>, d3: vec4<f32>, d4: vec4<f32>, d5: vec4<f32>, d6: vec4<f32>, d7: vec4<f32>,
}

fn tile_column(u: u32) -> TileColumn {
  var column = TileColumn(vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0), vec4<f32>(0.0));
  column.d0 = dz_tile[u];
  if (kBatchTile > 1u) { column.d1 = dz_tile[kRowStride + u]; }
  if (kBatchTile > 2u) {
    column.d2 = dz_tile[2u * kRowStride + u];
    column.d3 = dz_tile[3u * kRowStride + u];
  }
  if (kBatchTile > 4u) {
    column.d4 = dz_tile[4u * kRowStride + u];
    column.d5 = dz_tile[5u * kRowStride + u];
    column.d6 = dz_tile[6u * kRowStride + u];
    column.d7 = dz_tile[7u * kRowStride + u];
  }
  return column;
}

fn dot_into(w: vec4<f32>, d: vec4<f32>, sum: f32) -> f32 {
  return fma(w.w, d.w, fma(w.z, d.z, fma(w.y, d.y, fma(w.x, d.x, sum))));
}

// sum + W_hh[j, u] · dz[row][u] for every row, w = W_hh[j, u]'s four gates.
fn accumulate(sum: Recurrent, w: vec4<f32>, column: TileColumn) -> Recurrent {
  var next = sum;
  next.r0 = dot_into(w, column.d0, sum.r0);
  if (kBatchTile > 1u) { next.r1 = dot_into(w, column.d1, sum.r1); }
  if (kBatchTile > 2u) {
    next.r2 = dot_into(w, column.d2, sum.r2);
    next.r3 = dot_into(w, column.d3, sum.r3);
  }
  if (kBatchTile > 4u) {
    next.r4 = dot_into(w, column.d4, sum.r4);
    next.r5 = dot_into(w, column.d5, sum.r5);
    next.r6 = dot_into(w, column.d6, sum.r6);
    next.r7 = dot_into(w, column.d7, sum.r7);
  }
  return next;
}

// The recurrent sums of units j[0 … kUnits − 1] (each below H: the host clamps unowned ones).
fn recurrent(j: array<u32, 8>) -> array<Recurrent, 8> {
  let H = dims.units;
  let none = Recurrent(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  var sums = array<Recurrent, 8>(none, none, none, none, none, none, none, none);
  for (var u = 0u; u < H; u++) {
    let column = tile_column(u);
    let row = u * H; // W_hh[j, u] for consecutive j: consecutive across the workgroup's invocations
    sums[0] = accumulate(sums[0], w_hh_t[row + j[0]], column);
    if (kUnits > 1u) { sums[1] = accumulate(sums[1], w_hh_t[row + j[1]], column); }
    if (kUnits > 2u) { sums[2] = accumulate(sums[2], w_hh_t[row + j[2]], column); }
    if (kUnits > 3u) { sums[3] = accumulate(sums[3], w_hh_t[row + j[3]], column); }
    if (kUnits > 4u) { sums[4] = accumulate(sums[4], w_hh_t[row + j[4]], column); }
    if (kUnits > 5u) { sums[5] = accumulate(sums[5], w_hh_t[row + j[5]], column); }
    if (kUnits > 6u) { sums[6] = accumulate(sums[6], w_hh_t[row + j[6]], column); }
    if (kUnits > 7u) { sums[7] = accumulate(sums[7], w_hh_t[row + j[7]], column); }
  }
  return sums;
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
  let t = kThreads;
  let j = array<u32, 8>(lid.x, lid.x + t, lid.x + 2u * t, lid.x + 3u * t, lid.x + 4u * t, lid.x + 5u * t, lid.x + 6u * t, lid.x + 7u * t);
  // Units past H are read as H − 1 (never stored).
  let last = H - 1u;
  let j_read = array<u32, 8>(min(j[0], last), min(j[1], last), min(j[2], last), min(j[3], last), min(j[4], last), min(j[5], last), min(j[6], last), min(j[7], last));
  let b0 = wg.x * kBatchTile;
  let lens = Lengths(length_of(b0), length_of(b0 + 1u), length_of(b0 + 2u), length_of(b0 + 3u),
                     length_of(b0 + 4u), length_of(b0 + 5u), length_of(b0 + 6u), length_of(b0 + 7u));
  let zero = Carries(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  var carry = array<Carries, 8>(zero, zero, zero, zero, zero, zero, zero, zero);
  let none = Recurrent(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  for (var q = 0u; q < dims.steps; q++) {
    let s = dims.steps - 1u - q;
    var sums = array<Recurrent, 8>(none, none, none, none, none, none, none, none);
    if (j[0] < H && q > 0u) { sums = recurrent(j_read); }
    workgroupBarrier();
    if (j[0] < H) { carry[0] = step_unit(s, b0, j[0], lens, sums[0], carry[0]); }
    if (kUnits > 1u && j[1] < H) { carry[1] = step_unit(s, b0, j[1], lens, sums[1], carry[1]); }
    if (kUnits > 2u && j[2] < H) { carry[2] = step_unit(s, b0, j[2], lens, sums[2], carry[2]); }
    if (kUnits > 3u && j[3] < H) { carry[3] = step_unit(s, b0, j[3], lens, sums[3], carry[3]); }
    if (kUnits > 4u && j[4] < H) { carry[4] = step_unit(s, b0, j[4], lens, sums[4], carry[4]); }
    if (kUnits > 5u && j[5] < H) { carry[5] = step_unit(s, b0, j[5], lens, sums[5], carry[5]); }
    if (kUnits > 6u && j[6] < H) { carry[6] = step_unit(s, b0, j[6], lens, sums[6], carry[6]); }
    if (kUnits > 7u && j[7] < H) { carry[7] = step_unit(s, b0, j[7], lens, sums[7], carry[7]); }
    workgroupBarrier();
  }
  if (j[0] >= H) { return; }
  let sums = recurrent(j_read);
  finish_unit(b0, j[0], sums[0], carry[0]);
  if (kUnits > 1u && j[1] < H) { finish_unit(b0, j[1], sums[1], carry[1]); }
  if (kUnits > 2u && j[2] < H) { finish_unit(b0, j[2], sums[2], carry[2]); }
  if (kUnits > 3u && j[3] < H) { finish_unit(b0, j[3], sums[3], carry[3]); }
  if (kUnits > 4u && j[4] < H) { finish_unit(b0, j[4], sums[4], carry[4]); }
  if (kUnits > 5u && j[5] < H) { finish_unit(b0, j[5], sums[5], carry[5]); }
  if (kUnits > 6u && j[6] < H) { finish_unit(b0, j[6], sums[6], carry[6]); }
  if (kUnits > 7u && j[7] < H) { finish_unit(b0, j[7], sums[7], carry[7]); }
}
